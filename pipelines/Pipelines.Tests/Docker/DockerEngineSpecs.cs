using System.Formats.Tar;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Docker;

/// <summary>The Engine API client against the real daemon: builds, stream errors, contexts, an unreachable daemon.</summary>
public sealed class DockerEngineSpecs : IDisposable
{
    private readonly MemoryLog _log = new();
    private readonly DockerEngine _docker;
    private readonly TempDirectory _context = new("docker-ctx");
    private readonly List<string> _images = [];

    public DockerEngineSpecs() => _docker = new DockerEngine(DockerEndpoint.FromEnvironment(), _log);

    [Fact]
    public async Task I_can_negotiate_an_api_version_no_newer_than_the_client_supports()
    {
        var version = await _docker.NegotiateAsync();

        Assert.True(version <= DockerEngine.NewestApiVersion);
        Assert.True(version >= new Version(1, 41));
    }

    [Fact]
    public async Task A_build_streams_its_steps_to_the_log_and_returns_the_image_id()
    {
        File.WriteAllText(_context.Combine("hello.txt"), "hello\n");
        File.WriteAllText(_context.Combine("Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\nLABEL purpose=test\n");
        var tag = Tag("build");

        var result = await _docker.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(_context.Path, "Dockerfile"))
        {
            Tags = [tag],
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "hello" },
        });

        Assert.StartsWith("sha256:", result.ImageId);
        Assert.Contains(_log.Lines, l => l.Message.StartsWith("Step 2/") && l.Message.EndsWith(" : COPY hello.txt /hello.txt"));
        var image = await _docker.InspectImageAsync(tag);
        Assert.NotNull(image);
        Assert.Equal(result.ImageId, image.Id);
        Assert.Equal("hello", image.Labels["org.opencontainers.image.title"]);
        Assert.Equal("test", image.Labels["purpose"]);
    }

    [Fact]
    public async Task A_failing_step_names_the_step_and_the_daemons_message()
    {
        // No shell exists in a FROM-scratch image (and /bin/busybox is not on this host), so the failing step
        // is a COPY of a file the context lacks: it fails inside the stream after HTTP 200, like a failing RUN.
        File.WriteAllText(_context.Combine("Dockerfile"), "FROM scratch\nLABEL a=b\nCOPY missing.txt /missing.txt\n");

        var error = await Assert.ThrowsAsync<DockerStreamException>(() =>
            _docker.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(_context.Path, "Dockerfile")) { Tags = [Tag("fail")] }));

        Assert.Equal("Step 3/3 : COPY missing.txt /missing.txt", error.Step);
        Assert.Contains("Step 3/3 : COPY missing.txt /missing.txt", error.Message);
        Assert.Contains("missing.txt", error.DaemonMessage);
    }

    [Fact]
    public async Task Dockerignored_files_are_absent_from_the_image()
    {
        Directory.CreateDirectory(_context.Combine("app", "logs"));
        File.WriteAllText(_context.Combine("app", "main.txt"), "main");
        File.WriteAllText(_context.Combine("app", "secret.env"), "TOKEN=x");
        File.WriteAllText(_context.Combine("app", "logs", "a.log"), "log");
        File.WriteAllText(_context.Combine("app", "logs", "keep.log"), "kept");
        File.WriteAllText(_context.Combine(".dockerignore"), "**/*.env\napp/logs\n!app/logs/keep.log\n");
        File.WriteAllText(_context.Combine("Dockerfile"), "FROM scratch\nCOPY app /app\nCMD [\"/none\"]\n");
        var tag = Tag("ignore");
        await _docker.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(_context.Path, "Dockerfile")) { Tags = [tag] });

        var files = await FilesInImageAsync(tag, "/app");

        Assert.Equal(["app/", "app/logs/", "app/logs/keep.log", "app/main.txt"], files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_target_stage_builds_only_that_stage()
    {
        Directory.CreateDirectory(_context.Combine("app"));
        File.WriteAllText(_context.Combine("app", "debug.txt"), "debug");
        File.WriteAllText(_context.Combine("app", "release.txt"), "release");
        File.WriteAllText(_context.Combine("Dockerfile"),
            "FROM scratch AS debug\nCOPY app/debug.txt /app/\nCMD [\"/none\"]\n\nFROM scratch AS release\nCOPY app/release.txt /app/\nCMD [\"/none\"]\n");
        var tag = Tag("target");

        await _docker.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(_context.Path, "Dockerfile")) { Tags = [tag], Target = "debug" });

        Assert.Equal(["app/", "app/debug.txt"], (await FilesInImageAsync(tag, "/app")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_docker_host_pointing_nowhere_fails_naming_docker_host_and_how_to_start_docker()
    {
        var socket = _context.Combine("nothing.sock");
        using var docker = new DockerEngine(DockerEndpoint.Parse("unix://" + socket, false, null), _log);

        var error = await Assert.ThrowsAsync<PipelineException>(() => docker.InspectImageAsync("anything"));

        Assert.Contains($"DOCKER_HOST=unix://{socket}", error.Message);
        Assert.Contains("systemctl start docker", error.Message);
    }

    [Fact]
    public async Task A_tcp_docker_host_that_refuses_fails_naming_docker_host()
    {
        var port = FreePort.OnLoopback();
        using var docker = new DockerEngine(DockerEndpoint.Parse($"tcp://127.0.0.1:{port}", false, null), _log);

        var error = await Assert.ThrowsAsync<PipelineException>(() => docker.NegotiateAsync());

        Assert.Contains($"DOCKER_HOST=tcp://127.0.0.1:{port}", error.Message);
    }

    private async Task<List<string>> FilesInImageAsync(string image, string path)
    {
        var container = await _docker.CreateContainerAsync(new ContainerSpec(image));
        try
        {
            await using var archive = await _docker.GetContainerArchiveAsync(container, path);
            Assert.NotNull(archive);
            var names = new List<string>();
            await using var reader = new TarReader(archive);
            while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
            return names;
        }
        finally
        {
            await _docker.RemoveContainerAsync(container);
        }
    }

    private string Tag(string name)
    {
        var tag = $"pipelines-test/{name}:{Guid.NewGuid():N}"[..40];
        _images.Add(tag);
        return tag;
    }

    public void Dispose()
    {
        foreach (var image in _images)
            _docker.RemoveImageAsync(image, force: true).GetAwaiter().GetResult();
        _docker.Dispose();
        _context.Dispose();
    }
}
