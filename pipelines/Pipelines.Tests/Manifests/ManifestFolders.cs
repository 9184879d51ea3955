using Pipelines.Tests.Support;
namespace Pipelines.Tests.Manifests;

/// <summary>
/// The folders of the <c>manifests/</c> template that must render, found on disk so a new overlay or cluster is
/// tested without touching the tests. Each is a theory row: one test per folder.
/// </summary>
public static class ManifestFolders
{
    /// <summary>The template's root: <c>manifests/</c> at the repository root.</summary>
    public static string Root => Path.Combine(TestPaths.RepositoryRoot, "manifests");

    /// <summary>Absolute path of a folder given relative to <see cref="Root"/>.</summary>
    public static string PathOf(string folder) => Path.Combine(Root, folder);

    /// <summary><c>apps/&lt;app&gt;/overlays/&lt;env&gt;</c>.</summary>
    public static TheoryData<string> Overlays() => Rows(Directory.GetDirectories(Path.Combine(Root, "apps"), "*", SearchOption.TopDirectoryOnly)
        .Where(app => Directory.Exists(Path.Combine(app, "overlays")))
        .SelectMany(app => Directory.GetDirectories(Path.Combine(app, "overlays"))));

    /// <summary><c>clusters/&lt;env&gt;</c>.</summary>
    public static TheoryData<string> Clusters() => Rows(Directory.GetDirectories(Path.Combine(Root, "clusters")));

    /// <summary>Every folder holding a kustomization.yaml: bases, overlays, infrastructure, clusters.</summary>
    public static TheoryData<string> All() => Rows(Directory.GetFiles(Root, "kustomization.yaml", SearchOption.AllDirectories)
        .Select(file => Path.GetDirectoryName(file)!));

    private static TheoryData<string> Rows(IEnumerable<string> directories)
    {
        var rows = new TheoryData<string>();
        foreach (var relative in directories
                     .Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
                     .Select(d => Path.GetRelativePath(Root, d).Replace('\\', '/'))
                     .Order(StringComparer.Ordinal))
            rows.Add(relative);
        return rows;
    }
}
