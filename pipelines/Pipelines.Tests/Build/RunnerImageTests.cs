using Pipelines.Tests.Containers;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Build;

/// <summary>
/// The RunnerImage target through the product build: tekton/runner/Dockerfile built by the real Docker engine through
/// Containerize's path and pushed to a real registry; the digest-pinned reference is what build/Build.CI.cs takes.
/// </summary>
public sealed class RunnerImageTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private async Task CommitRunnerDockerfileAsync()
    {
        var root = _harness.Root;
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(root, "global.json"));
        Directory.CreateDirectory(Path.Combine(root, "tekton", "runner"));
        // The generated Dockerfile downloads Trivy, kubectl and Node: this host has no way to them. A stand-in with the
        // same build argument shows the arguments reach the build (SDK_IMAGE a mirror would set).
        await File.WriteAllTextAsync(Path.Combine(root, "tekton", "runner", "marker.txt"), "runner");
        await File.WriteAllTextAsync(Path.Combine(root, "tekton", "runner", "Dockerfile"),
            "ARG SDK_IMAGE=scratch\nFROM ${SDK_IMAGE}\nARG FLAVOUR=none\nLABEL flavour=${FLAVOUR}\nCOPY marker.txt /marker.txt\nCMD [\"/none\"]\n");
        await TestGit.OutputAsync(root, "init", "-q", "-b", "main");
        await TestGit.OutputAsync(root, "add", "-A");
        await TestGit.OutputAsync(root, "commit", "-q", "-m", "runner");
    }

    [Fact]
    public async Task RunnerImage_builds_the_runner_Dockerfile_pushes_it_and_prints_the_digest_pinned_reference()
    {
        await CommitRunnerDockerfileAsync();

        var exit = await _harness.RunAsync(new global::Build(), "Test",
            "RunnerImage", "--registry", registry.Address + "/ci", "--runner-build-args", "FLAVOUR=test");

        Assert.True(exit == 0, _harness.Text);
        var reference = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile).Get("RUNNER_IMAGE")!;
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(registry.Address)}/ci/pipeline-runner@sha256:[0-9a-f]{{64}}$", reference);
        Assert.True(Pipelines.Generators.TektonPipeline.IsPinned(reference));
        Assert.Contains($"Return \"{reference}\" from TektonRunnerImage in the build", _harness.Text);
    }

    [Fact]
    public async Task RunnerImage_without_a_registry_fails_before_building_naming_the_option()
    {
        await CommitRunnerDockerfileAsync();

        var exit = await _harness.RunAsync(new global::Build(), "Test", "RunnerImage");

        Assert.NotEqual(0, exit);
        Assert.Contains("RunnerImage requires --registry (or the environment variable PIPELINE_REGISTRY)", _harness.Text);
        Assert.DoesNotContain("Building ", _harness.Text);
    }

    [Fact]
    public async Task On_GitHub_Actions_a_deploy_without_registry_and_manifests_repository_fails_before_any_target()
    {
        await CommitRunnerDockerfileAsync();
        // The CI files as Generate writes them, so the freshness check passes and the settings check is what stops the run.
        Assert.Equal(0, await _harness.RunAsync(new global::Build(), "Test", "Generate"));
        if (File.Exists(new WorkspaceLayout(_harness.Root).StateFile)) File.Delete(new WorkspaceLayout(_harness.Root).StateFile);
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["CI"] = "true";

        var exit = await _harness.RunAsync(new global::Build(), "Test", "Deploy");

        Assert.NotEqual(0, exit);
        Assert.Contains("PIPELINE_REGISTRY is not set, and Containerize needs it: set the repository variable PIPELINE_REGISTRY", _harness.Text);
        Assert.Contains("PIPELINE_MANIFESTS_REPO is not set, and Deploy needs it: set the repository variable PIPELINE_MANIFESTS_REPO", _harness.Text);
        Assert.False(File.Exists(new WorkspaceLayout(_harness.Root).StateFile), "a target ran although the run could not finish");
    }
}
