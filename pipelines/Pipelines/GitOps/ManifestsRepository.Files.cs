namespace Pipelines.GitOps;

internal sealed partial class ManifestsRepository
{
    /// <summary>
    /// The text of one file on the watched branch (e.g. <c>apps/&lt;app&gt;/objectives.yaml</c>), or null when it does
    /// not exist. Only the file's folder is fetched.
    /// </summary>
    public async Task<string?> ReadFileAsync(string path, CancellationToken ct = default)
    {
        var file = NormalizePath(path);
        var folder = Path.GetDirectoryName(file)?.Replace('\\', '/') ?? "";
        using var clone = await CloneAsync(folder.Length == 0 ? [] : [folder], shallow: true, ct);
        var local = Path.Combine(clone.Directory, file);
        return File.Exists(local) ? await File.ReadAllTextAsync(local, ct) : null;
    }

    /// <summary>
    /// The text of several files on the watched branch, in the order given (null for each that does not exist), from
    /// one shallow sparse clone of their folders: how Analyze reads every service's objectives before any target runs.
    /// </summary>
    public async Task<IReadOnlyList<string?>> ReadFilesAsync(IReadOnlyList<string> paths, CancellationToken ct = default)
    {
        var files = paths.Select(NormalizePath).ToList();
        var folders = files.Select(f => Path.GetDirectoryName(f)?.Replace('\\', '/') ?? "").Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        using var clone = await CloneAsync(folders, shallow: true, ct);
        var texts = new List<string?>();
        foreach (var file in files)
        {
            var local = Path.Combine(clone.Directory, file);
            texts.Add(File.Exists(local) ? await File.ReadAllTextAsync(local, ct) : null);
        }
        return texts;
    }
}
