using System.Text.RegularExpressions;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Workspace;

public sealed partial class WorkspaceLayoutTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "repo");

    private static string Under(params string[] parts) => Path.Combine([Root, .. parts]);

    [Fact]
    public void A_repository_keeps_run_outputs_in_artifacts_and_machine_state_in_dot_gitops()
    {
        var layout = new WorkspaceLayout(Root);

        Assert.Equal(Root, layout.Root);
        Assert.Equal(Under("artifacts"), layout.ArtifactsDirectory);
        Assert.Equal(Under("artifacts", "pipeline-state.json"), layout.StateFile);
        Assert.Equal(Under("artifacts", "test-results"), layout.TestResultsDirectory);
        Assert.Equal(Under("artifacts", "scan"), layout.ScanDirectory);
        Assert.Equal(Under("artifacts", "scan", "shortlink"), layout.ScanDirectoryOf("shortlink"));
        Assert.Equal(Under("artifacts", "packages"), layout.PackagesDirectory);
        Assert.Equal(Under("artifacts", "analysis"), layout.AnalysisDirectory);
        Assert.Equal(Under("artifacts", "analysis", "shortlink.json"), layout.AnalysisFileOf("shortlink"));
        Assert.Equal(Under(".gitops"), layout.GitOpsDirectory);
        Assert.Equal(Under(".gitops", "keys"), layout.KeysDirectory);
        Assert.Equal(Under(".gitops", "scan-policy.yaml"), layout.ScanPolicyFile);
        Assert.Equal(Under(".gitops", "manifests.git"), layout.ManifestsRepository);
        Assert.Equal(Under(".gitops"), layout.LocalRegistryDirectory);
        Assert.Equal(Under(".gitops", "cache"), layout.CacheDirectory);
        Assert.Equal(Under(".gitops", "cache", "targets"), layout.TargetCacheDirectory);
        Assert.Equal(Under(".gitops", "cache", "images"), layout.ImageCacheDirectory);
        Assert.Equal(Under(".gitops", "cache", "trivy"), layout.TrivyCacheDirectory);
    }

    [Fact]
    public void The_relative_forms_use_slashes_and_name_the_same_paths()
    {
        var layout = new WorkspaceLayout(Root);

        Assert.Equal("artifacts/pipeline-state.json", WorkspaceLayout.Relative.StateFile);
        Assert.Equal(".gitops/cache/trivy", WorkspaceLayout.Relative.TrivyCache);
        Assert.Equal(layout.StateFile, Path.GetFullPath(WorkspaceLayout.Relative.StateFile, Root));
        Assert.Equal(layout.TestResultsDirectory, Path.GetFullPath(WorkspaceLayout.Relative.TestResults, Root));
        Assert.Equal(layout.CoverageReportFile, Path.GetFullPath(WorkspaceLayout.Relative.CoverageReport, Root));
        Assert.Equal(layout.ScanDirectory, Path.GetFullPath(WorkspaceLayout.Relative.Scan, Root));
        Assert.Equal(layout.PackagesDirectory, Path.GetFullPath(WorkspaceLayout.Relative.Packages, Root));
        Assert.Equal(layout.KeysDirectory, Path.GetFullPath(WorkspaceLayout.Relative.Keys, Root));
        Assert.Equal(layout.ManifestsRepository, Path.GetFullPath(WorkspaceLayout.Relative.ManifestsRepository, Root));
        Assert.Equal(layout.TargetCacheDirectory, Path.GetFullPath(WorkspaceLayout.Relative.TargetCache, Root));
        Assert.Equal(layout.ImageCacheDirectory, Path.GetFullPath(WorkspaceLayout.Relative.ImageCache, Root));
    }

    [Fact]
    public void The_folder_CI_keeps_holds_the_target_and_image_caches_but_not_trivys()
    {
        var kept = Path.Combine(Path.GetTempPath(), "kept");

        var layout = WorkspaceLayout.For(Root, new Dictionary<string, string> { ["PIPELINE_CACHE_DIR"] = kept });

        Assert.Equal(kept, layout.CacheDirectory);
        Assert.Equal(Path.Combine(kept, "targets"), layout.TargetCacheDirectory);
        Assert.Equal(Path.Combine(kept, "images"), layout.ImageCacheDirectory);
        Assert.Equal(Under(".gitops", "cache", "trivy"), layout.TrivyCacheDirectory);
        Assert.Equal(Under("artifacts", "pipeline-state.json"), layout.StateFile);
    }

    [Fact]
    public void An_empty_cache_variable_means_the_repositorys_own_cache()
    {
        Assert.Equal(Under(".gitops", "cache", "targets"), WorkspaceLayout.For(Root, new Dictionary<string, string> { ["PIPELINE_CACHE_DIR"] = "" }).TargetCacheDirectory);
        Assert.Equal(Under(".gitops", "cache", "images"), WorkspaceLayout.For(Root, new Dictionary<string, string>()).ImageCacheDirectory);
    }

    [Fact]
    public void Only_the_layout_spells_the_artifacts_and_dot_gitops_paths()
    {
        var owner = Path.Combine("pipelines", "Pipelines", "Workspace", "WorkspaceLayout.cs");
        var offenders = SourceFiles()
            .Where(file => !file.EndsWith(owner, StringComparison.Ordinal))
            .SelectMany(file => SpelledLayoutPaths(File.ReadAllText(file)).Select(hit => $"{Path.GetRelativePath(TestPaths.RepositoryRoot, file)}:{hit}"))
            .ToList();

        Assert.True(offenders.Count == 0,
            "These spell a path of the workspace layout; ask WorkspaceLayout (or WorkspaceLayout.Relative) instead:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_check_finds_path_pieces_and_paths_in_literals_but_not_comments_or_prose()
    {
        const string source = """
            /// <summary>Kept in <c>.gitops/keys</c>.</summary>
            var a = Path.Combine(root, ".gitops", "keys");
            var b = Path.Combine(root, "artifacts");
            var c = $"see artifacts/scan/{file}";
            // a comment about artifacts/scan
            var d = "CI uploads its artifacts";
            """;

        Assert.Equal(["2: \".gitops\"", "3: \"artifacts\"", "4: \"see artifacts/scan/{file}\""], SpelledLayoutPaths(source));
    }

    /// <summary>The library's and this repository's build sources.</summary>
    private static IEnumerable<string> SourceFiles() =>
        new[] { Path.Combine(TestPaths.RepositoryRoot, "pipelines", "Pipelines"), Path.Combine(TestPaths.RepositoryRoot, "build") }
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>
    /// The string literals of <paramref name="source"/> (comment lines aside) that are the folder names themselves or hold a
    /// path under them, as <c>line: literal</c>. A word in prose ("its artifacts") is no path and passes.
    /// </summary>
    private static List<string> SpelledLayoutPaths(string source) =>
        source.Split('\n')
            .Select((line, index) => (Line: line, Number: index + 1))
            .Where(x => !x.Line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(x => Literal().Matches(x.Line).Select(m => m.Value)
                .Where(literal => LayoutPath().IsMatch(literal))
                .Select(literal => $"{x.Number}: {literal}"))
            .ToList();

    [GeneratedRegex("""
        "(?:[^"\\]|\\.)*"
        """)]
    private static partial Regex Literal();

    [GeneratedRegex("""
        ^"(?:\.gitops|artifacts)"$|\.gitops\b|artifacts/
        """)]
    private static partial Regex LayoutPath();
}
