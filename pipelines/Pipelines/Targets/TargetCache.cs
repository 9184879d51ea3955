using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Targets;

/// <summary>
/// Where cached targets keep their last success: one <c>&lt;Target&gt;.json</c> per target (fingerprint, inputs,
/// published outputs and records, notes) and a <c>&lt;Target&gt;.files/</c> copy of its output files, in one folder
/// CI can keep between runs (<see cref="Workspace.WorkspaceLayout.TargetCacheDirectory"/>). An entry that is corrupt, unreadable or written by
/// another version of the toolkit is ignored with a warning, never trusted; a kept file that no longer matches the hash
/// recorded when it was kept is never restored. Secrets are masked in what the run published (outputs, records, notes),
/// never in the hashes, which a hex-like secret would otherwise corrupt.
/// </summary>
internal sealed class TargetCache
{
    /// <summary>The entry format this toolkit writes and reads.</summary>
    public const int Format = 2;

    private readonly string _toolkit;
    private readonly ILog _log;
    private readonly SecretMasker _masker;

    /// <summary>A cache in <paramref name="directory"/> for entries written by <paramref name="toolkit"/> (its version).</summary>
    public TargetCache(string directory, string toolkit, ILog log, SecretMasker? masker = null)
    {
        Directory = directory;
        _toolkit = toolkit;
        _log = log;
        _masker = masker ?? new SecretMasker();
    }

    /// <summary>The cache folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// The toolkit's version as the cache sees it: the library's and the build's compiled modules, so a changed toolkit
    /// or build never reuses another's entries. Compilation is deterministic and maps the checkout's path away
    /// (PathMap in Directory.Build.props and the template's build project), so equal sources at any path give equal IDs.
    /// </summary>
    public static string ToolkitVersion(Type build) =>
        $"{typeof(TargetCache).Assembly.ManifestModule.ModuleVersionId:N}/{build.Assembly.ManifestModule.ModuleVersionId:N}";

    private string EntryPath(string target) => Path.Combine(Directory, target + ".json");

    private string FilesPath(string target) => Path.Combine(Directory, target + ".files");

    /// <summary>The target's last recorded success; null (with a warning when something was wrong) when there is none to trust.</summary>
    public CachedRun? Load(string target)
    {
        var path = EntryPath(target);
        string text;
        try
        {
            if (!File.Exists(path)) return null;
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Ignore($"it cannot be read ({e.Message})");
        }

        try
        {
            var root = JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("empty");
            var format = root["format"]?.GetValue<int>();
            if (format != Format) return Ignore($"it has format {format?.ToString() ?? "none"}, this toolkit reads format {Format}");
            if (root["toolkit"]?.GetValue<string>() != _toolkit) return Ignore("it was written by another version of the toolkit or build");
            if (root["target"]?.GetValue<string>() != target) return Ignore("it belongs to another target");
            var fingerprint = root["fingerprint"]?.GetValue<string>() is { Length: 64 } hash ? hash : throw new JsonException("no fingerprint");
            return new CachedRun(
                target,
                fingerprint,
                root["succeededAt"]?.GetValue<DateTimeOffset>() ?? throw new JsonException("no succeededAt"),
                Strings(root["inputs"]),
                Strings(root["outputs"]),
                (root["records"]?.AsObject() ?? []).ToDictionary(p => p.Key, p => p.Value?.DeepClone()),
                (root["notes"]?.AsArray() ?? []).Select(n => new KeyValuePair<string, string>(n!["key"]!.GetValue<string>(), n["value"]!.GetValue<string>())).ToList(),
                (root["files"]?.AsArray() ?? []).Select(f => f!.GetValue<string>()).ToList())
            {
                FileHashes = Strings(root["fileHashes"]),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return Ignore($"it is corrupt ({e.Message})");
        }

        CachedRun? Ignore(string why)
        {
            _log.Warn($"Ignoring the cache entry {path} of {target}: {why}. {target} runs; delete the file if this repeats.");
            return null;
        }

        static Dictionary<string, string> Strings(JsonNode? node) =>
            (node?.AsObject() ?? []).ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
    }

    /// <summary>Records a success: its inputs, what it published, and a copy of its output files with the hash of each.</summary>
    /// <remarks>A failure (a full disk) leaves neither an entry nor a half-written temporary file behind.</remarks>
    public void Store(CachedRun run, string rootDirectory)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var entry = EntryPath(run.Target);
        var temporary = entry + ".tmp";
        var files = FilesPath(run.Target);
        try
        {
            // The entry goes last: a run cut short leaves no entry rather than one whose files are half copied.
            File.Delete(entry);
            if (System.IO.Directory.Exists(files)) System.IO.Directory.Delete(files, recursive: true);
            foreach (var relative in run.Files)
                Copy(Path.GetFullPath(relative, rootDirectory), Path.Combine(files, relative));

            // Masked where a secret could have been published; never the fingerprint, inputs or file hashes.
            var json = new JsonObject
            {
                ["format"] = Format,
                ["toolkit"] = _toolkit,
                ["target"] = run.Target,
                ["fingerprint"] = run.Fingerprint,
                ["succeededAt"] = run.SucceededAt,
                ["inputs"] = new JsonObject(run.Inputs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["outputs"] = new JsonObject(run.Outputs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)_masker.Apply(p.Value)))),
                ["records"] = new JsonObject(run.Records.Select(p => KeyValuePair.Create(p.Key, Masked(p.Value)))),
                ["notes"] = new JsonArray(run.Notes.Select(n => (JsonNode?)new JsonObject { ["key"] = n.Key, ["value"] = _masker.Apply(n.Value) }).ToArray()),
                ["files"] = new JsonArray(run.Files.Select(f => (JsonNode?)f).ToArray()),
                ["fileHashes"] = new JsonObject(KeptFiles(files).Select(f => KeyValuePair.Create(f, (JsonNode?)HashFile(Path.Combine(files, f))))),
            };
            File.WriteAllText(temporary, json.ToJsonString(PipelineState.Json) + "\n");
            File.Move(temporary, entry, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            try { if (System.IO.Directory.Exists(files)) System.IO.Directory.Delete(files, recursive: true); }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            throw;
        }

        JsonNode? Masked(JsonNode? record) =>
            record is null || _masker.Values.Count == 0 ? record?.DeepClone() : JsonNode.Parse(_masker.Apply(record.ToJsonString(PipelineState.Json)));
    }

    /// <summary>Forgets a target's last success: after a failure it must run again.</summary>
    public void Forget(string target)
    {
        try
        {
            if (File.Exists(EntryPath(target))) File.Delete(EntryPath(target));
            if (System.IO.Directory.Exists(FilesPath(target))) System.IO.Directory.Delete(FilesPath(target), recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warn($"Could not remove the cache entry of {target} after its failure ({e.Message}): delete {EntryPath(target)} by hand, or run with --fresh.");
        }
    }

    /// <summary>
    /// Why a run's kept output files cannot be restored: one is missing from the cache, or differs from the hash recorded
    /// when it was kept (a truncated copy); null when every one is intact.
    /// </summary>
    public string? UnrestorableFile(CachedRun run)
    {
        var kept = FilesPath(run.Target);
        foreach (var relative in run.Files)
        {
            var path = Path.Combine(kept, relative);
            if (!File.Exists(path) && !System.IO.Directory.Exists(path)) return $"{relative} is not in the cache";
        }
        foreach (var file in KeptFiles(kept))
            if (!run.FileHashes.ContainsKey(file))
                return $"{file} in the cache has no recorded hash";
        foreach (var (file, recorded) in run.FileHashes)
        {
            var path = Path.Combine(kept, file);
            if (!File.Exists(path)) return $"{file} is not in the cache";
            if (HashFile(path) != recorded) return $"the cached copy of {file} does not match the hash recorded when it was kept (truncated or changed)";
        }
        return null;
    }

    /// <summary>Puts a cached run's output files back where the target wrote them.</summary>
    public void RestoreFiles(CachedRun run, string rootDirectory)
    {
        foreach (var relative in run.Files)
        {
            var target = Path.GetFullPath(relative, rootDirectory);
            if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, recursive: true);
            Copy(Path.Combine(FilesPath(run.Target), relative), target);
        }
    }

    /// <summary>
    /// The name a failed run gives a partial output (<c>trivy.json.incomplete</c>): kept for diagnosis beside the
    /// output, never cached, and removed by the next success.
    /// </summary>
    public const string IncompleteSuffix = ".incomplete";

    private static void Copy(string source, string destination)
    {
        if (File.Exists(source))
        {
            if (source.EndsWith(IncompleteSuffix, StringComparison.Ordinal)) return;
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination, overwrite: true);
            return;
        }
        if (!System.IO.Directory.Exists(source)) return;
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        System.IO.Directory.CreateDirectory(destination);
    }

    /// <summary>Every file kept under a target's files folder, relative to it with '/' separators.</summary>
    private static IEnumerable<string> KeptFiles(string folder) =>
        System.IO.Directory.Exists(folder)
            ? System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal)
            : [];

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
