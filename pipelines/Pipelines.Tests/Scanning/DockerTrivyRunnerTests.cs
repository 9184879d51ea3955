using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Scanning;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Scanning;

/// <summary>The Docker fallback against the real engine, with an image standing in for Trivy's.</summary>
public sealed class DockerTrivyRunnerTests(FakeTrivyImage image) : IClassFixture<FakeTrivyImage>, IDisposable
{
    private readonly TempDirectory _work = new("scanning-docker");
    private readonly MemoryLog _log = new();

    public void Dispose() => _work.Dispose();

    private TrivyOptions Options(string containerImage) =>
        new(TrivyScannerTests.Image, _work.Combine("artifacts", "scan"), _work.Combine("cache"))
        {
            TrivyPath = "trivy-not-installed-anywhere",
            ContainerImage = containerImage,
            RegistryUsername = "ci-bot",
            RegistryPassword = "container-env-only",
        };

    [Fact]
    public async Task Without_a_trivy_binary_the_scan_runs_in_a_container_and_reads_its_report()
    {
        var scanner = new TrivyScanner(_log, new DockerTrivyRunner(image.Docker));
        // An entry the report does not have: the counts stay, and the file must reach the container by copy.
        File.WriteAllText(_work.Combine(".trivyignore"), "CVE-0000-0001\n");

        var result = await scanner.ScanAsync(Options(image.Tag) with { IgnoreFile = _work.Combine(".trivyignore") }, CancellationToken.None);

        Assert.True(result.RanInContainer);
        Assert.Equal("0.74.0", result.Trivy.Version);
        Assert.Equal(new SeverityCounts(0, 0, 4, 0, 0), result.Decision.Counts);
        Assert.True(File.Exists(result.SarifPath));
        // The credentials reached the container's environment.
        Assert.Equal("ci-bot", File.ReadAllText(_work.Combine("artifacts", "scan", "seen-username.txt")));
        Assert.Equal("CVE-0000-0001\n", File.ReadAllText(_work.Combine("artifacts", "scan", "seen-ignorefile.txt")));
        Assert.Contains(_log.Lines, l => l.Message.Contains("fake trivy in a container"));
        // The report came back through the archive API, not a bind; the cache is the daemon's labelled volume, kept on purpose.
        Assert.Contains(DockerTrivyRunner.CacheVolume, await image.Docker.ListVolumesAsync($"{DockerTrivyRunner.Label}=trivy"));
        Assert.Empty(await image.Docker.ListContainersAsync($"{DockerTrivyRunner.Label}=trivy"));
    }

    [Fact]
    public async Task A_socket_path_the_daemon_lacks_fails_the_create_instead_of_becoming_an_empty_folder()
    {
        var error = await Assert.ThrowsAsync<DockerApiException>(() => image.Docker.CreateContainerAsync(new ContainerSpec(image.Tag)
        {
            StrictBinds = [new("/no/such/path/on/the/daemon.sock", TrivyContainerRun.DockerSocket)],
            Labels = new Dictionary<string, string> { [DockerTrivyRunner.Label] = "trivy" },
        }, CancellationToken.None));

        Assert.True(DockerEngine.IsMissingMountSource(error), error.Message);
    }

    [Fact]
    public async Task A_hanging_container_is_stopped_at_the_timeout_and_the_scan_fails_clearly()
    {
        var scanner = new TrivyScanner(_log, new DockerTrivyRunner(image.Docker));

        var error = await Assert.ThrowsAsync<PipelineException>(() => scanner.ScanAsync(
            Options(image.HangingTag) with { Timeout = TimeSpan.FromSeconds(1), TimeoutMargin = TimeSpan.FromSeconds(1) }, CancellationToken.None));

        Assert.Contains("did not finish within 1s", error.Message);
    }

    [Fact]
    public async Task A_Docker_engine_that_does_not_answer_is_reported_as_unavailable()
    {
        using var docker = new DockerEngine(DockerEndpoint.Parse("unix:///tmp/no-docker-here.sock", tlsVerify: false, certPath: null), _log);

        Assert.False(await new DockerTrivyRunner(docker).IsAvailableAsync(CancellationToken.None));
        Assert.True(await new DockerTrivyRunner(image.Docker).IsAvailableAsync(CancellationToken.None));
    }
}
