using System.Text.Json.Nodes;
using Pipelines.Components;
using Pipelines.Containers;
using Pipelines.Scanning;
using Pipelines.Tests.GitOps;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Scanning;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Builds;

/// <summary>
/// A build of this repository's two services (shortlink and the linkcheck worker) through the engine, as
/// <c>./build.sh Deploy</c> runs it: the real Docker engine and registry, real git with this repository's manifests, a
/// stand-in trivy. Each service is built, scanned and signed; one Deploy makes one manifests commit holding both digests.
/// </summary>
public sealed class TwoServicesDeployTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly BuildHarness _harness = new();
    private readonly FakeTrivy _trivy = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden")
        .WithDatabase("0.74.0", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
    private static readonly string Namespace = "two/" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        _harness.Dispose();
        _trivy.Dispose();
    }

    /// <summary>The two services as this repository declares them, built from small Dockerfiles so the test needs no publish step.</summary>
    private sealed class TwoServiceBuild : GitOpsBuild
    {
        protected override string Name => "shortlink";
        protected override IReadOnlyList<Service> Services =>
        [
            new("shortlink") { Context = "services/shortlink", ManifestsImage = "registry.cn-shanghai.aliyuncs.com/example/shortlink" },
            new("linkcheck") { Context = "services/linkcheck", ManifestsImage = "registry.cn-shanghai.aliyuncs.com/example/linkcheck" },
        ];
    }

    private async Task SeedAsync(string? linkcheckDockerfile = "FROM scratch\nCOPY worker.txt /worker.txt\nUSER 1654\nCMD [\"/worker\"]\n")
    {
        var root = _harness.Root;
        ImageSetterGoldenTests.CopyFolder(Path.Combine(TestPaths.RepositoryRoot, "manifests"), Path.Combine(root, "manifests"));
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(root, "global.json"));
        var api = Directory.CreateDirectory(Path.Combine(root, "services", "shortlink")).FullName;
        await File.WriteAllTextAsync(Path.Combine(api, "api.txt"), "api " + Namespace);
        await File.WriteAllTextAsync(Path.Combine(api, "Dockerfile"), "FROM scratch\nCOPY api.txt /api.txt\nEXPOSE 8080\nCMD [\"/api\"]\n");
        var worker = Directory.CreateDirectory(Path.Combine(root, "services", "linkcheck")).FullName;
        await File.WriteAllTextAsync(Path.Combine(worker, "worker.txt"), "worker " + Namespace);
        if (linkcheckDockerfile is not null) await File.WriteAllTextAsync(Path.Combine(worker, "Dockerfile"), linkcheckDockerfile);
        await TestGit.OutputAsync(root, "init", "-q", "-b", "main");
        await TestGit.OutputAsync(root, "add", "-A");
        await TestGit.OutputAsync(root, "commit", "-q", "-m", "two services");
    }

    private Task<int> Run(params string[] args) =>
        _harness.RunAsync(new TwoServiceBuild(), "Test", [.. args, "--registry", $"{fixture.Address}/{Namespace}", "--trivy-path", _trivy.Executable]);

    private Task<string> ManifestsGit(params string[] args) =>
        TestGit.OutputAsync(null, ["--git-dir", new WorkspaceLayout(_harness.Root).ManifestsRepository, .. args]);

    [Fact]
    public async Task One_deploy_scans_and_signs_each_service_and_commits_both_digests_in_one_commit()
    {
        await SeedAsync();

        var exit = await Run("Deploy", "--skip", "Test", "--sbom");

        Assert.True(exit == 0, _harness.Text);
        var state = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile);
        var shortlink = state.GetRecord<BuiltImage>(ServiceImages.StateKey("shortlink"))!;
        var linkcheck = state.GetRecord<BuiltImage>(ServiceImages.StateKey("linkcheck"))!;
        Assert.NotEqual(shortlink.Digest, linkcheck.Digest);
        Assert.Equal($"{shortlink.Reference},{linkcheck.Reference}", state.Get(ServiceImages.ImagesOutput));
        Assert.Null(state.Get("IMAGE_DIGEST"));

        // Each digest scanned (a passing verdict of its own) with its reports in its own folder and SARIF category.
        foreach (var (service, image) in new[] { ("shortlink", shortlink), ("linkcheck", linkcheck) })
        {
            Assert.True(ScanVerdicts.For(state, image.Digest!) is { Passed: true }, $"{service} has no passing scan");
            var sarif = JsonNode.Parse(File.ReadAllText(Path.Combine(new WorkspaceLayout(_harness.Root).ScanDirectoryOf(service), "trivy.sarif")))!;
            Assert.Equal($"trivy/{service}/", sarif["runs"]![0]!["automationDetails"]!["id"]!.GetValue<string>());
        }
        Assert.Equal(2, _trivy.Runs("image"));

        // One deploy commit on top of the seed, setting both overlays.
        Assert.Equal("2", (await ManifestsGit("rev-list", "--count", "main")).Trim());
        var changed = (await ManifestsGit("show", "--name-only", "--format=", "main")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["apps/linkcheck/overlays/dev/kustomization.yaml", "apps/shortlink/overlays/dev/kustomization.yaml"], changed.Order());
        Assert.Contains(shortlink.Digest!, await ManifestsGit("show", "main:apps/shortlink/overlays/dev/kustomization.yaml"));
        Assert.Contains(linkcheck.Digest!, await ManifestsGit("show", "main:apps/linkcheck/overlays/dev/kustomization.yaml"));
        var message = await ManifestsGit("log", "-1", "--format=%B", "main");
        Assert.StartsWith("deploy(dev): ", message);
        Assert.Contains("shortlink", message.Split('\n')[0]);
        Assert.Contains("linkcheck", message.Split('\n')[0]);

        // Both verify against the development key, with the attestations Sign attached.
        _harness.Output.GetStringBuilder().Clear();
        Assert.True(await Run("Verify", "--require-attestations", "slsaprovenance1,cyclonedx") == 0, _harness.Text);
        Assert.Contains("Verified shortlink", _harness.Text);
        Assert.Contains("Verified linkcheck", _harness.Text);
    }

    [Fact]
    public async Task A_commit_that_changes_one_service_rebuilds_and_deploys_only_that_one()
    {
        await SeedAsync();
        Assert.True(await Run("Deploy", "--skip", "Test") == 0, _harness.Text);
        var first = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile);
        var linkcheck = first.GetRecord<BuiltImage>(ServiceImages.StateKey("linkcheck"))!;
        var shortlink = first.GetRecord<BuiltImage>(ServiceImages.StateKey("shortlink"))!;
        await File.WriteAllTextAsync(Path.Combine(_harness.Root, "services", "shortlink", "api.txt"), "api v2 " + Namespace);
        await TestGit.OutputAsync(_harness.Root, "commit", "-q", "-am", "change the api only");
        _harness.Output.GetStringBuilder().Clear();

        Assert.True(await Run("Deploy", "--skip", "Test") == 0, _harness.Text);

        var second = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile);
        var kept = second.GetRecord<BuiltImage>(ServiceImages.StateKey("linkcheck"))!;
        Assert.Equal(linkcheck.Reference, kept.Reference);
        Assert.Equal(linkcheck.Tags, kept.Tags);
        Assert.NotEqual(shortlink.Digest, second.GetRecord<BuiltImage>(ServiceImages.StateKey("shortlink"))!.Digest);
        Assert.Contains($"linkcheck: nothing it is built from changed since {linkcheck.Tags[0]}; keeping {linkcheck.Reference}.", _harness.Text);
        Assert.DoesNotContain("the recorded image", _harness.Text);
        Assert.Equal("3", (await ManifestsGit("rev-list", "--count", "main")).Trim());
        Assert.Equal("apps/shortlink/overlays/dev/kustomization.yaml", (await ManifestsGit("show", "--name-only", "--format=", "main")).Trim());
    }

    [Fact]
    public async Task Deploying_images_recorded_for_an_earlier_commit_says_so_for_each_service()
    {
        await SeedAsync();
        Assert.True(await Run("Deploy", "--skip", "Test") == 0, _harness.Text);
        var built = (await TestGit.OutputAsync(_harness.Root, "rev-parse", "--short=12", "HEAD")).Trim();
        await File.WriteAllTextAsync(Path.Combine(_harness.Root, "NOTES.md"), "a later commit\n");
        await TestGit.OutputAsync(_harness.Root, "add", "-A");
        await TestGit.OutputAsync(_harness.Root, "commit", "-q", "-m", "later");
        _harness.Output.GetStringBuilder().Clear();

        var exit = await Run("Deploy", "--skip");

        Assert.True(exit == 0, _harness.Text);
        Assert.Contains($"linkcheck: the recorded image", _harness.Text);
        Assert.Contains($"was recorded by Containerize at commit {built}", _harness.Text);
        Assert.Contains("shortlink: the recorded image", _harness.Text);
    }

    [Fact]
    public async Task A_service_whose_Dockerfile_is_missing_stops_the_run_before_anything_is_built()
    {
        await SeedAsync(linkcheckDockerfile: null);

        var exit = await Run("Deploy", "--skip", "Test");

        Assert.NotEqual(0, exit);
        Assert.Contains("Service `linkcheck`: its Dockerfile `services/linkcheck/Dockerfile` does not exist", _harness.Text);
        Assert.False(File.Exists(new WorkspaceLayout(_harness.Root).StateFile), "a target ran although a service cannot be built");
        Assert.Equal(0, _trivy.Runs("image"));
    }

    [Fact]
    public async Task An_unknown_service_is_named_with_the_declared_ones_before_anything_runs()
    {
        await SeedAsync(linkcheckDockerfile: null);

        var exit = await Run("Deploy", "--skip", "Test", "--service", "web");

        Assert.NotEqual(0, exit);
        Assert.Contains("--service: `web` is not a service of this build; choose from shortlink, linkcheck.", _harness.Text);
        Assert.False(File.Exists(new WorkspaceLayout(_harness.Root).StateFile), "a target ran although --service named no service");
    }

    [Fact]
    public async Task An_image_given_for_one_of_two_services_without_naming_it_is_refused()
    {
        await SeedAsync();

        var exit = await Run("Deploy", "--skip", "--image", $"{fixture.Address}/x@sha256:{new string('a', 64)}");

        Assert.NotEqual(0, exit);
        Assert.Contains("--image describes one service, but this run acts on 2 (shortlink, linkcheck): add --service <name>.", _harness.Text);
    }
}
