using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipelines.Processes;

namespace Pipelines.Workspace;

/// <summary>
/// What a cached target read, as named entries with a content hash each: files, parameter values, tool versions.
/// A target declares them in <c>.Inputs(…)</c>; equal <see cref="Hash"/>es mean the target would read the same
/// things again, so its last success still stands. Entries are kept by name so that a rerun can say which input
/// changed. A declaration can also mark the inputs as not cacheable (<see cref="NotCacheable"/>) or bound how long
/// a result of them stays valid (<see cref="ValidUntil"/>, <see cref="MaxAge"/>).
/// </summary>
public sealed class Fingerprint
{
    private readonly SortedDictionary<string, string> _entries = new(StringComparer.Ordinal);
    private readonly Fingerprint? _root;
    private readonly string _prefix = "";

    /// <summary>A fingerprint whose relative paths are read from <paramref name="rootDirectory"/>.</summary>
    internal Fingerprint(string rootDirectory) => RootDirectory = rootDirectory;

    private Fingerprint(Fingerprint root, string prefix)
    {
        RootDirectory = root.RootDirectory;
        _entries = root._entries;
        _root = root;
        _prefix = prefix;
    }

    /// <summary>
    /// The same fingerprint with named values kept under <c>&lt;scope&gt;/</c>: one target declaring the inputs of several
    /// services. Files stay keyed by path (a file two services read is one input); the cache bounds apply to the whole.
    /// </summary>
    public Fingerprint For(string scope) => new(_root ?? this, _prefix + scope + "/");

    /// <summary>Where relative paths are resolved: the repository root.</summary>
    internal string RootDirectory { get; }

    /// <summary>Each input's name and the hash of its content.</summary>
    internal IReadOnlyDictionary<string, string> Entries => _entries;

    /// <summary>Why a result of these inputs must not be reused (e.g. <c>--no-cache</c>); null when it may.</summary>
    internal string? NotCacheableReason { get; private set; }

    /// <summary>When a result of these inputs stops being valid whatever its age (e.g. the vulnerability DB's next update).</summary>
    internal DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>Why <see cref="ExpiresAt"/> is set, for the log.</summary>
    internal string? ExpiryReason { get; private set; }

    /// <summary>How long after its success a cached result stays valid; null: until the inputs change.</summary>
    internal TimeSpan? MaximumAge { get; private set; }

    /// <summary>Why <see cref="MaximumAge"/> is set, for the log.</summary>
    internal string? MaximumAgeReason { get; private set; }

    /// <summary>The SHA-256 of every entry, in name order: equal inputs, equal hash.</summary>
    internal string Hash
    {
        get
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var (name, hash) in _entries)
                sha.AppendData(Encoding.UTF8.GetBytes(name + "\0" + hash + "\n"));
            return Convert.ToHexStringLower(sha.GetHashAndReset());
        }
    }

    /// <summary>A value that matters (a parameter, a resolved image ID): lists, enums, durations and null are written invariantly.</summary>
    public Fingerprint Add(string name, object? value)
    {
        _entries[_prefix + name] = HashText(Format(value));
        return this;
    }

    /// <summary>A file's content, by path relative to the root (or absolute); a missing file counts as "absent".</summary>
    public Fingerprint File(string path)
    {
        var full = Path.GetFullPath(path, RootDirectory);
        _entries["file:" + Relative(full)] = System.IO.File.Exists(full) ? HashFile(full) : "absent";
        return this;
    }

    /// <summary>Every file under a folder (recursively) that <paramref name="include"/> accepts, by content.</summary>
    /// <param name="directory">The folder, relative to the root or absolute; a missing folder counts as "absent".</param>
    /// <param name="include">Takes the path relative to the folder, with '/' separators; null: every file.</param>
    public Fingerprint Directory(string directory, Func<string, bool>? include = null)
    {
        var full = Path.GetFullPath(directory, RootDirectory);
        if (!System.IO.Directory.Exists(full))
        {
            _entries["dir:" + Relative(full)] = "absent";
            return this;
        }
        foreach (var file in System.IO.Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var inFolder = Path.GetRelativePath(full, file).Replace('\\', '/');
            if (include is null || include(inFolder)) File(file);
        }
        return this;
    }

    /// <summary>
    /// The files git knows in the working tree — tracked ones, and new ones not ignored — by content as they are
    /// now (edits not yet committed count). A tracked file deleted from the tree counts as "absent".
    /// </summary>
    /// <param name="pathspecs">Limits to these paths (git pathspecs); none: the whole repository.</param>
    public async Task<Fingerprint> GitFilesAsync(CancellationToken cancellationToken, params string[] pathspecs)
    {
        var result = await new Command("git")
            .WithArguments(["-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", .. pathspecs])
            .WithWorkingDirectory(RootDirectory)
            .WithOutput(OutputMode.Quiet)
            .WithMissingHint("install git: cached targets hash the files git tracks.")
            .ExecuteAsync(null, cancellationToken);
        result.EnsureSuccess("git ls-files (the files a cached target reads)");
        var files = result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal);
        foreach (var file in files) File(file);
        return this;
    }

    /// <summary>What a tool prints for its version (e.g. <c>dotnet --version</c>); a tool that fails or is missing counts as such.</summary>
    public async Task<Fingerprint> ToolAsync(string name, string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string value;
        if (Command.Resolve(executable) is null) value = "missing";
        else
        {
            var result = await new Command(executable).WithArguments(arguments).WithWorkingDirectory(RootDirectory)
                .WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(1)).ExecuteAsync(null, cancellationToken);
            value = result.ExitCode == 0 ? result.StandardOutput.Trim() : $"exit {result.ExitCode}";
        }
        return Add("tool:" + name, value);
    }

    /// <summary>Marks the inputs as not reusable for this run, with the reason shown in the log.</summary>
    public Fingerprint NotCacheable(string reason)
    {
        if (_root is not null)
        {
            _root.NotCacheable(reason);
            return this;
        }
        NotCacheableReason ??= reason;
        return this;
    }

    /// <summary>A cached result of these inputs is valid only before <paramref name="at"/> (the earliest bound wins).</summary>
    public Fingerprint ValidUntil(DateTimeOffset at, string reason)
    {
        if (_root is not null)
        {
            _root.ValidUntil(at, reason);
            return this;
        }
        if (ExpiresAt is null || at < ExpiresAt)
        {
            ExpiresAt = at;
            ExpiryReason = reason;
        }
        return this;
    }

    /// <summary>A cached result of these inputs is valid for <paramref name="age"/> after its success (the shortest bound wins).</summary>
    public Fingerprint MaxAge(TimeSpan age, string reason)
    {
        if (_root is not null)
        {
            _root.MaxAge(age, reason);
            return this;
        }
        if (MaximumAge is null || age < MaximumAge)
        {
            MaximumAge = age;
            MaximumAgeReason = reason;
        }
        return this;
    }

    /// <summary>The names of the entries that differ between an earlier run's entries and these: changed, added or gone.</summary>
    internal IReadOnlyList<string> ChangedSince(IReadOnlyDictionary<string, string> earlier) =>
        _entries.Keys.Union(earlier.Keys, StringComparer.Ordinal)
            .Where(name => !(earlier.TryGetValue(name, out var before) && _entries.TryGetValue(name, out var now) && before == now))
            .Order(StringComparer.Ordinal)
            .ToList();

    private string Relative(string full)
    {
        var relative = Path.GetRelativePath(RootDirectory, full);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? full : relative).Replace('\\', '/');
    }

    private static string Format(object? value) => value switch
    {
        null => "\u2205",
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IDictionary dictionary => string.Join("\n", dictionary.Keys.Cast<object>().Select(k => Format(k) + "=" + Format(dictionary[k])).Order(StringComparer.Ordinal)),
        IEnumerable items => "[" + string.Join("\u001f", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string HashText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string HashFile(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
