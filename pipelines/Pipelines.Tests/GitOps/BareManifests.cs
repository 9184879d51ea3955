using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.GitOps;

/// <summary>A real bare manifests repository in a temporary folder, seeded from a template, and ways to look into it.</summary>
internal sealed class BareManifests : IDisposable
{
    private readonly TempDirectory _root = new("gitops-manifests-test");

    public string Path => new WorkspaceLayout(_root.Path).ManifestsRepository;

    public MemoryLog Log { get; } = new();

    public static async Task<BareManifests> CreateAsync(string? template = null, Action<string>? addToTemplate = null)
    {
        var manifests = new BareManifests();
        var folder = manifests._root.Combine("manifests");
        ImageSetterGoldenTests.CopyFolder(template ?? TestPaths.TestData("gitops", "repo"), folder);
        addToTemplate?.Invoke(folder);
        await new LocalManifestsRepository(manifests.Log).EnsureAsync(manifests.Path, folder);
        return manifests;
    }

    public ManifestsRepository Repository(int maxAttempts = 10) =>
        new(new ManifestsRepositoryOptions(Path, MaxAttempts: maxAttempts, RetryDelay: TimeSpan.FromMilliseconds(50)),
            new ImageSetter(ImageSetterOptions.Default, Log), Log);

    public Task<string> GitAsync(params string[] arguments) => TestGit.OutputAsync(null, ["--git-dir", Path, .. arguments]);

    public async Task<string> HeadAsync() => (await GitAsync("rev-parse", "main")).Trim();

    public Task<string> ShowAsync(string path, string revision = "main") => GitAsync("show", $"{revision}:{path}");

    public void Dispose() => _root.Dispose();
}
