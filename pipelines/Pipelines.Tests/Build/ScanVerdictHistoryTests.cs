using Pipelines.Scanning;
using Pipelines.Targets;
using Pipelines.Tests.Registry;
using Pipelines.Tests.GitOps;
using Pipelines.Tests.Scanning;
using Pipelines.Tests.Signing;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Build;

/// <summary>
/// A failed scan is never forgotten: the state keeps every digest's latest verdict, a failing verdict is signed as an
/// attestation too, and a newer failure beats an older pass from the state or from an attestation.
/// </summary>
public sealed class ScanVerdictHistoryTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly SignedRegistry _registry = new(fixture);
    private readonly BuildHarness _harness = new();
    private readonly FakeTrivy _clean = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden");
    private readonly FakeTrivy _critical = new FakeTrivy().WithReport("alpine-39-high-critical.json.golden");

    public void Dispose()
    {
        _registry.Dispose();
        _harness.Dispose();
        _clean.Dispose();
        _critical.Dispose();
    }

    private Task<int> Run(params string[] args) => _harness.RunAsync(new global::Build(), "Test", [.. args, "--service", "shortlink"]);

    [Fact]
    public async Task Deploy_refuses_a_digest_whose_latest_scan_failed_after_another_digest_passed_and_on_a_fresh_workspace()
    {
        ImageSetterGoldenTests.CopyFolder(Path.Combine(TestPaths.RepositoryRoot, "manifests"), Path.Combine(_harness.Root, "manifests"));
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(_harness.Root, "global.json"));
        var a = (await _registry.PushImageAsync(_registry.NewRepository())).WithTag("1.0.0").ToString();
        var b = (await _registry.PushImageAsync(_registry.NewRepository())).WithTag("2.0.0").ToString();
        var digestA = a[(a.IndexOf('@') + 1)..];
        // A passed once and was signed with that passing scan attached.
        Assert.True(await Run("Scan", "--skip", "--image", a, "--trivy-path", _clean.Executable) == 0, _harness.Text);
        Assert.True(await Run("Sign", "--skip", "--image", a) == 0, _harness.Text);

        var failed = await Run("Scan", "--skip", "--image", a, "--trivy-path", _critical.Executable);
        var otherPassed = await Run("Scan", "--skip", "--image", b, "--trivy-path", _clean.Executable);
        var deploy = await Run("Deploy", "--skip", "--image", a);
        var deployText = _harness.Text;
        File.Delete(new WorkspaceLayout(_harness.Root).StateFile);
        var fresh = await Run("Deploy", "--skip", "--image", a);

        Assert.Equal(BuildRunner.Failure, failed);
        Assert.Equal(0, otherPassed);
        Assert.True(deploy == BuildRunner.Failure, deployText);
        Assert.Contains($"the latest scan of {digestA} did not pass", deployText);
        Assert.True(fresh == BuildRunner.Failure, _harness.Text);
        Assert.Contains($"the newest signed scan of {digestA} did not pass", _harness.Text);
        Assert.False(Directory.Exists(new WorkspaceLayout(_harness.Root).ManifestsRepository), "Deploy touched the manifests");
    }

    [Fact]
    public void The_state_keeps_each_digests_latest_verdict_when_another_digest_is_scanned()
    {
        using var directory = new TempDirectory("scans");
        var state = PipelineState.Load(Path.Combine(directory.Path, "state.json"));
        var now = DateTimeOffset.UtcNow;

        ScanVerdicts.Record(state, new ScanVerdict("sha256:a", "r/a", false, SeverityCounts.Zero, "0.74.0", now));
        ScanVerdicts.Record(state, new ScanVerdict("sha256:b", "r/b", true, SeverityCounts.Zero, "0.74.0", now));
        var reloaded = PipelineState.Load(Path.Combine(directory.Path, "state.json"));

        Assert.False(ScanVerdicts.For(reloaded, "sha256:a")!.Passed);
        Assert.True(ScanVerdicts.For(reloaded, "sha256:b")!.Passed);
        Assert.Equal("sha256:b", reloaded.GetRecord<ScanVerdict>(ScanVerdict.StateKey)!.ImageDigest);
    }
}
