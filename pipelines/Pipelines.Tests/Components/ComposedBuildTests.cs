using Pipelines.Components;
using Pipelines.Docker;
using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Scanning;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.Tests.Components;

/// <summary>A build that composes only some components gets only their targets and parameters, and runs them.</summary>
public sealed class ComposedBuildTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    /// <summary>Test, Containerize and Scan, nothing else; Test replaced by the build (no solution to test here).</summary>
    private sealed class ScanOnlyBuild : PipelineBuild, IScan
    {
        public readonly List<string> Tested = [];

        string IServices.Name => "scan-only";
        IReadOnlyList<Service> IServices.Services => [new("hello") { Context = "image" }];

        Target ITest.Test => _ => _
            .Description("Stands in for the tests")
            .Executes(() => Tested.Add("Test"));
    }

    private readonly BuildHarness _harness = new();
    private readonly FakeTrivy _trivy = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden")
        .WithDatabase("0.74.0", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));

    public void Dispose()
    {
        _harness.Dispose();
        _trivy.Dispose();
    }

    [Fact]
    public async Task A_build_of_Test_Containerize_and_Scan_shows_only_their_targets_and_parameters()
    {
        var exit = await _harness.RunAsync(new ScanOnlyBuild(), "Scan", "--help");

        Assert.Equal(0, exit);
        var help = _harness.Text;
        foreach (var target in new[] { "Test", "Containerize", "Scan (default)" }) Assert.Contains("  " + target, help);
        foreach (var absent in new[] { "Deploy", "Sign", "Verify", "Analyze", "TektonRun", "Generate", "RunnerImage" })
            Assert.DoesNotMatch($@"(?m)^  {absent}\b", help);
        foreach (var parameter in new[] { "--test-filter", "--dockerfile", "--push", "--fail-on", "--scan-policy", "--registry", "--service" }) Assert.Contains(parameter + " <", help);
        foreach (var absent in new[] { "--environment", "--prometheus-url", "--manifests-repo", "--tekton-params", "--runner-image-name", "--sign-annotations" })
            Assert.DoesNotContain(absent, help);
    }

    [Fact]
    public async Task A_build_of_Test_Containerize_and_Scan_runs_them_for_real()
    {
        var root = _harness.Root;
        Directory.CreateDirectory(Path.Combine(root, "image"));
        await File.WriteAllTextAsync(Path.Combine(root, "image", "hello.txt"), "hello");
        await File.WriteAllTextAsync(Path.Combine(root, "image", "Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/none\"]\n");
        await TestGit.OutputAsync(root, "init", "-q", "-b", "main");
        await TestGit.OutputAsync(root, "add", "-A");
        await TestGit.OutputAsync(root, "commit", "-q", "-m", "image");
        var build = new ScanOnlyBuild();

        var exit = await _harness.RunAsync(build, "Scan", "Scan", "--registry", $"{fixture.Address}/composed", "--trivy-path", _trivy.Executable, "--fail-on", "critical");

        Assert.True(exit == 0, _harness.Text);
        Assert.Equal(["Test"], build.Tested);
        var state = PipelineState.Load(new WorkspaceLayout(root).StateFile);
        var built = state.GetRecord<Pipelines.Containers.BuiltImage>(Pipelines.Containers.ServiceImages.StateKey("hello"))!;
        Assert.StartsWith($"{fixture.Address}/composed/hello:", built.Url);
        Assert.NotNull(built.Digest);
        Assert.Equal(1, _trivy.Runs("image"));
        Assert.True(File.Exists(Path.Combine(new WorkspaceLayout(root).ScanDirectory, "trivy.json")), _harness.Text);
        using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), new MemoryLog());
        foreach (var tag in built.Tags) await docker.RemoveImageAsync($"{built.Repository}:{tag}", force: true);
    }
}
