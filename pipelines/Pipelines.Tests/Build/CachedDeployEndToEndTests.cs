using Pipelines.Containers;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Tests.Containers;
using Pipelines.Tests.Registry;
using Pipelines.Tests.GitOps;
using Pipelines.Tests.Scanning;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Build;

/// <summary>
/// The product build's Containerize → Scan → Sign → Deploy run twice through the engine, as <c>./build.sh Deploy</c>
/// runs it: the real Docker engine, a real registry, real git and the manifests template, a stand-in trivy. The
/// second run finds every cacheable target's inputs unchanged and its outputs still in the registry.
/// </summary>
public sealed class CachedDeployEndToEndTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly BuildHarness _harness = new();
    private readonly FakeTrivy _trivy = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden")
        .WithDatabase("0.74.0", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
    private readonly string _imageName = "cached/app-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        _harness.Dispose();
        _trivy.Dispose();
    }

    private async Task Seed()
    {
        var root = _harness.Root;
        ImageSetterGoldenTests.CopyFolder(Path.Combine(TestPaths.RepositoryRoot, "manifests"), Path.Combine(root, "manifests"));
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(root, "global.json"));
        Directory.CreateDirectory(Path.Combine(root, "image"));
        await File.WriteAllTextAsync(Path.Combine(root, "image", "hello.txt"), "hello " + _imageName);
        await File.WriteAllTextAsync(Path.Combine(root, "image", "Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/none\"]\n");
        await TestGit.OutputAsync(root, "init", "-q", "-b", "main");
        await TestGit.OutputAsync(root, "add", "-A");
        await TestGit.OutputAsync(root, "commit", "-q", "-m", "image");
    }

    private async Task<string> Deploy()
    {
        _harness.Output.GetStringBuilder().Clear();
        var exit = await _harness.RunAsync(new global::Build(), "Test",
            "Deploy", "--skip", "Test", "--registry", fixture.Address, "--image-name", _imageName, "--publish-project", "",
            "--service", "shortlink", "--context", "image", "--dockerfile", "image/Dockerfile", "--trivy-path", _trivy.Executable);
        Assert.True(exit == 0, _harness.Text);
        return _harness.Output.ToString();
    }

    /// <summary>Requests that change the registry: uploads, manifest and tag writes, deletes.</summary>
    private int RegistryWrites() => fixture.Log.Lines.Count(l =>
        l.Message.Contains($"/v2/{_imageName}/", StringComparison.Ordinal)
        && (l.Message.Contains("\"PUT ", StringComparison.Ordinal) || l.Message.Contains("\"POST ", StringComparison.Ordinal)
            || l.Message.Contains("\"PATCH ", StringComparison.Ordinal) || l.Message.Contains("\"DELETE ", StringComparison.Ordinal)));

    private Task<string> ManifestsGit(params string[] args) =>
        TestGit.OutputAsync(null, ["--git-dir", new WorkspaceLayout(_harness.Root).ManifestsRepository, .. args]);

    [Fact]
    public async Task A_second_deploy_with_nothing_changed_pushes_nothing_signs_nothing_and_commits_nothing()
    {
        await Seed();
        await Deploy();
        var writes = RegistryWrites();
        var commits = await ManifestsGit("rev-list", "--count", "main");
        var firstState = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile);
        var scans = _trivy.Runs("image");
        File.Delete(new WorkspaceLayout(_harness.Root).StateFile);   // a fresh workspace: the cache alone must carry the outputs

        var second = await Deploy();

        Assert.True(writes > 0, "the first deploy should have pushed and signed:\n" + fixture.Log.Text);
        Assert.Equal(writes, RegistryWrites());
        Assert.Equal(commits, await ManifestsGit("rev-list", "--count", "main"));
        Assert.Equal(scans, _trivy.Runs("image"));
        Assert.Matches(@"Containerize +skipped \(cached: inputs unchanged since .*, fingerprint [0-9a-f]{4}…\)", second);
        Assert.Matches(@"Scan +skipped \(cached: inputs unchanged", second);
        Assert.Matches(@"Sign +skipped \(cached: inputs unchanged", second);
        Assert.Matches(@"Deploy +succeeded", second);
        Assert.Contains("already deployed at", second);
        var state = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile);
        foreach (var output in new[] { "IMAGES", "SCAN_PASSED", "SCAN_SUMMARY", "SIGNATURE_REF", "DEPLOY_COMMIT" })
            Assert.Equal(firstState.Get(output), state.Get(output));
        Assert.True(File.Exists(Path.Combine(new WorkspaceLayout(_harness.Root).ScanDirectoryOf("shortlink"), "trivy.sarif")), "the cached scan's SARIF is put back");
    }

    [Fact]
    public async Task A_tag_deleted_from_the_registry_makes_containerize_run_again()
    {
        await Seed();
        await Deploy();
        var built = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile).GetRecord<BuiltImage>(Pipelines.Containers.ServiceImages.StateKey("shortlink"))!;
        using (var registry = new RegistryClient(new RegistryClientOptions(), new DockerCredentials(null, null, new MemoryLog()), new MemoryLog()))
            Assert.True(await registry.DeleteManifestAsync(ImageReference.Parse(built.Repository), built.Digest!));
        var writes = RegistryWrites();

        var second = await Deploy();

        Assert.Contains($"Containerize runs: cached outputs no longer hold: {built.Repository}:{built.Tags[0]} is no longer in the registry.", second);
        Assert.Matches(@"Containerize +succeeded", second);
        Assert.True(RegistryWrites() > writes, "Containerize should have pushed the image again");
        // The same content gives the same digest: the signature and the scan of it still hold.
        Assert.Matches(@"Sign +skipped \(cached", second);
        Assert.Equal(built.Reference, PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile).Get("IMAGES"));
    }
}
