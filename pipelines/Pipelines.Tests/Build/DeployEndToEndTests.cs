using Pipelines.Targets;
using Pipelines.Tests.GitOps;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Scanning;
using Pipelines.Tests.Signing;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Build;

/// <summary>
/// The product build's Scan → Sign → Deploy chain, run through the engine as <c>./build.sh</c> runs it: a real
/// registry, real git, the real manifests template, and a stand-in trivy that reports a clean image.
/// </summary>
public sealed class DeployEndToEndTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly SignedRegistry _registry = new(fixture);
    private readonly BuildHarness _harness = new();
    private readonly FakeTrivy _trivy = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden");

    public void Dispose()
    {
        _registry.Dispose();
        _harness.Dispose();
        _trivy.Dispose();
    }

    private async Task<string> Seed()
    {
        ImageSetterGoldenTests.CopyFolder(Path.Combine(TestPaths.RepositoryRoot, "manifests"), Path.Combine(_harness.Root, "manifests"));
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(_harness.Root, "global.json"));
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        return image.WithTag("1.0.0").ToString();
    }

    private Task<int> Run(params string[] args) => _harness.RunAsync(new global::Build(), "Test", [.. args, "--service", "shortlink"]);

    private Task<string> ManifestsGit(params string[] args) =>
        TestGit.OutputAsync(null, ["--git-dir", new WorkspaceLayout(_harness.Root).ManifestsRepository, .. args]);

    [Fact]
    public async Task Scan_sign_and_deploy_commit_the_signed_scanned_digest_and_a_second_deploy_commits_nothing()
    {
        var image = await Seed();
        string[] args = ["Deploy", "--skip", "Test", "Containerize", "--image", image, "--trivy-path", _trivy.Executable];

        var first = await Run(args);
        Assert.True(first == 0, _harness.Text);
        var commits = await ManifestsGit("rev-list", "--count", "main");
        var second = await Run(args);

        Assert.True(first == 0, _harness.Text);
        Assert.Equal(0, second);
        var digest = image[(image.IndexOf('@') + 1)..];
        var overlay = await ManifestsGit("show", "main:apps/shortlink/overlays/dev/kustomization.yaml");
        Assert.Contains($"digest: \"{digest}\"", overlay);   // the template's quoting is kept
        Assert.Contains("newTag: \"1.0.0\"", overlay);
        Assert.Contains($"newName: {image[..image.IndexOf(':', image.IndexOf('/'))]}", overlay);
        var message = await ManifestsGit("log", "-1", "--format=%B", "main");
        Assert.StartsWith($"deploy(dev): shortlink 1.0.0@{digest[7..19]}", message);
        Assert.Contains($"Image-Digest: {digest}", message);
        Assert.Equal(commits, await ManifestsGit("rev-list", "--count", "main"));
        Assert.Contains("already deployed at", _harness.Text);
        var state = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile);
        Assert.Equal((await ManifestsGit("rev-parse", "main")).Trim(), state.Get("DEPLOY_COMMIT"));
        Assert.Equal("true", state.Get("SCAN_PASSED"));
    }

    [Fact]
    public async Task Deploying_an_existing_image_that_was_never_signed_is_refused_and_nothing_is_committed()
    {
        var image = await Seed();
        Assert.Equal(0, await Run("Scan", "--skip", "--image", image, "--trivy-path", _trivy.Executable));
        Assert.Equal(0, await Run("GenerateKey", "--skip"));

        var exit = await Run("Deploy", "--skip", "--image", image);

        Assert.Equal(BuildRunner.Failure, exit);
        Assert.Contains("Deploy refused", _harness.Text);
        Assert.Contains("has no signatures", _harness.Text);
        // Refused before the manifests repository was even touched.
        Assert.False(Directory.Exists(new WorkspaceLayout(_harness.Root).ManifestsRepository));
    }

    [Fact]
    public async Task Deploying_a_signed_image_that_was_never_scanned_is_refused()
    {
        var image = await Seed();
        Assert.Equal(0, await Run("Sign", "--skip", "--image", image));

        var exit = await Run("Deploy", "--skip", "--image", image);

        Assert.Equal(BuildRunner.Failure, exit);
        Assert.Contains("no scan of", _harness.Text);
    }

    [Fact]
    public async Task Promote_copies_the_digest_running_in_one_environment_and_rollback_restores_the_previous_one()
    {
        var image = await Seed();
        var digest = image[(image.IndexOf('@') + 1)..];
        Assert.Equal(0, await Run("Deploy", "--skip", "Test", "Containerize", "--image", image, "--trivy-path", _trivy.Executable));
        var staging = "main:apps/shortlink/overlays/staging/kustomization.yaml";
        var before = await ManifestsGit("show", staging);

        var promoted = await Run("Promote", "--from", "dev", "--environment", "staging");
        var afterPromote = await ManifestsGit("show", staging);
        var rolledBack = await Run("Rollback", "--environment", "staging");

        Assert.True(promoted == 0, _harness.Text);
        Assert.Contains(digest, afterPromote);
        Assert.StartsWith("deploy(staging): shortlink 1.0.0@", (await ManifestsGit("log", "-2", "--format=%s", "main")).Split('\n')[1]);
        Assert.Equal(0, rolledBack);
        Assert.Equal(before, await ManifestsGit("show", staging));
        Assert.StartsWith("rollback(staging): shortlink", await ManifestsGit("log", "-1", "--format=%s", "main"));
    }

    [Fact]
    public async Task Promote_from_a_fresh_workspace_trusts_the_signed_scan_attestation_instead_of_the_state()
    {
        var image = await Seed();
        Assert.Equal(0, await Run("Deploy", "--skip", "Test", "Containerize", "--image", image, "--trivy-path", _trivy.Executable));
        File.Delete(new WorkspaceLayout(_harness.Root).StateFile);

        var exit = await Run("Promote", "--from", "dev", "--environment", "staging");

        Assert.True(exit == 0, _harness.Text);
        Assert.Contains("signed scan attestation", _harness.Text);
        Assert.Contains(image[(image.IndexOf('@') + 1)..], await ManifestsGit("show", "main:apps/shortlink/overlays/staging/kustomization.yaml"));
    }
}
