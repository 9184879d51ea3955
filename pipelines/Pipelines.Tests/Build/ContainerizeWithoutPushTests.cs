using Pipelines.Hosts;
using Pipelines.Registry;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.Tests.Build;

/// <summary>A pull request's build (<c>--push false</c>) through the product build: real Docker, no registry at all.</summary>
public sealed class ContainerizeWithoutPushTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Without_a_push_no_registry_is_started_and_no_digest_is_published()
    {
        var root = _harness.Root;
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(root, "global.json"));
        Directory.CreateDirectory(Path.Combine(root, "image"));
        await File.WriteAllTextAsync(Path.Combine(root, "image", "hello.txt"), "hello");
        await File.WriteAllTextAsync(Path.Combine(root, "image", "Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/none\"]\n");
        await TestGit.OutputAsync(root, "init", "-q", "-b", "main");
        await TestGit.OutputAsync(root, "add", "-A");
        await TestGit.OutputAsync(root, "commit", "-q", "-m", "image");

        var exit = await _harness.RunAsync(new global::Build(), "Test",
            "Containerize", "--skip", "--service", "shortlink", "--push", "false", "--publish-project", "", "--context", "image", "--dockerfile", "image/Dockerfile",
            "--image-name", "no-push-test");

        Assert.True(exit == 0, _harness.Text);
        Assert.False(File.Exists(new LocalRegistryDaemon(new WorkspaceLayout(root).LocalRegistryDirectory, new MemoryLog()).PidFile), "a registry was started for a build that does not push");
        var state = PipelineState.Load(new WorkspaceLayout(root).StateFile);
        // Two services: IMAGES lists the pushed ones (none), and the service's record has no digest.
        Assert.Equal("", state.Get("IMAGES"));
        var built = state.GetRecord<Pipelines.Containers.BuiltImage>(Pipelines.Containers.ServiceImages.StateKey("shortlink"))!;
        Assert.Null(built.Digest);
        Assert.StartsWith("127.0.0.1:5000/no-push-test:", built.Url);
        Assert.Contains("not pushed", _harness.Text);
    }
}
