using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Registry;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

/// <summary>
/// One Containerize run shared by a test class, because publishing the sample is the slow part: a git
/// repository holding the sample's Dockerfile and .dockerignore, a real registry on a free loopback port, and the image
/// built and pushed once from the real sample project (publish included) on the locally assembled base.
/// </summary>
public sealed class ContainerizeFixture : IAsyncLifetime
{
    private readonly TempDirectory _storage = new("registry");
    private LocalRegistry? _registry;

    public ContainerizeFixture() => Docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);

    public TempDirectory Repository { get; } = new("containerize-repo");

    /// <summary>Everything the build and the builder logged.</summary>
    internal MemoryLog Log { get; } = new();

    /// <summary>Everything the registry logged (one line per request).</summary>
    internal MemoryLog RegistryLog { get; } = new();

    internal DockerEngine Docker { get; }

    internal LocalRegistry Registry => _registry ?? throw new InvalidOperationException("Not started.");

    /// <summary>The first build's result.</summary>
    internal BuiltImage Built { get; private set; } = null!;

    /// <summary>The options the first build ran with.</summary>
    internal ContainerizeOptions Options { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _registry = await RegistryFixture.StartRegistryAsync(_storage.Path, log: RegistryLog);
        // The sample's own Dockerfile and .dockerignore, in a repository of their own so that commits are the test's.
        var sample = Path.Combine(TestPaths.RepositoryRoot, "samples", "shortlink");
        File.Copy(Path.Combine(sample, "Dockerfile"), Repository.Combine("Dockerfile"));
        File.Copy(Path.Combine(sample, ".dockerignore"), Repository.Combine(".dockerignore"));
        await GitAsync("init", "-q", "-b", "main");
        await GitAsync("add", "-A");
        await GitAsync("commit", "-q", "-m", "Sample image");

        Options = new ContainerizeOptions
        {
            RootDirectory = Repository.Path,
            Registry = Registry.Address,
            ImageName = "shortlink",
            Project = Path.Combine(TestPaths.RepositoryRoot, "samples", "shortlink", "src", "Shortlink"),
            Dockerfile = "Dockerfile",
            Context = ".",
        };
        Built = await new ImageBuilder(Docker, Log).BuildAsync(Options);
    }

    /// <summary>Runs git in the fixture's repository and returns its successful result.</summary>
    internal Task<CommandResult> GitAsync(params string[] arguments) => TestGit.RunAsync(Repository.Path, arguments, Log);

    public async Task DisposeAsync()
    {
        foreach (var tag in Built?.Tags ?? [])
            await Docker.RemoveImageAsync($"{Built!.Repository}:{tag}", force: true);
        if (_registry is not null) await _registry.DisposeAsync();
        Docker.Dispose();
        _storage.Dispose();
        Repository.Dispose();
    }
}
