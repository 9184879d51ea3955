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
}
