namespace Pipelines.TektonLocal;

/// <summary>
/// Values for <c>secretKeyRef</c> env: a local file (<c>KEY=value</c> or <c>secret-name/KEY=value</c> a line,
/// <c>#</c> comments) first, then the environment variable named like the key. Values are never logged.
/// </summary>
internal sealed class LocalSecrets
{
    private readonly Dictionary<string, string> _file = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string?> _environment;

    /// <summary>Reads the file (when given) and keeps the environment for look-ups.</summary>
    public LocalSecrets(string? file, IReadOnlyDictionary<string, string?> environment)
    {
        _environment = environment;
        if (file is null) return;
        if (!File.Exists(file)) throw new PipelineException($"The secrets file {file} does not exist: create it (KEY=value lines) or leave the option out to use the environment.");
        foreach (var raw in File.ReadAllLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var equals = line.IndexOf('=');
            if (equals <= 0) throw new PipelineException($"The secrets file {file} has a line that is not KEY=value (\"{line.Split('=')[0]}…\"); fix that line.");
            _file[line[..equals].Trim()] = line[(equals + 1)..];
        }
    }

    /// <summary>The Secrets a run file brings with it (a run of this build's Pipeline has none: they live in the cluster).</summary>
    internal RenderedTekton? Rendered { get; init; }

    /// <summary>The value of a key of a Secret, or null when neither the file, the run's Secrets nor the environment has it.</summary>
    public string? Find(string secret, string key) =>
        _file.TryGetValue($"{secret}/{key}", out var scoped) ? scoped
        : _file.TryGetValue(key, out var value) ? value
        : Rendered?.SecretValue(secret, key) is { } given ? given
        : _environment.TryGetValue(key, out var fromEnvironment) && !string.IsNullOrEmpty(fromEnvironment) ? fromEnvironment
        : null;

    /// <summary>
    /// The keys a Secret has for <c>envFrom</c>: its object's keys (run file or resources) and the file's
    /// <c>secret-name/KEY</c> lines; null when neither knows the Secret (the environment names no Secret).
    /// </summary>
    public IReadOnlyList<string>? Keys(string secret)
    {
        var scoped = _file.Keys.Where(k => k.StartsWith(secret + "/", StringComparison.Ordinal)).Select(k => k[(secret.Length + 1)..]).ToList();
        var given = Rendered?.SecretKeys(secret);
        return given is null && scoped.Count == 0 ? null : [.. (given ?? []).Concat(scoped).Distinct()];
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
}
