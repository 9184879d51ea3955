using Pipelines.GitOps;
using Pipelines.Targets;
using Pipelines.Tests.GitOps;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// A rollback reverts exactly the judged deploy, and only while the environment still runs it: two real deploys in a
/// real manifests repository (a good release, then a bad one), a breach seen by Debian's Prometheus, Analyze twice.
/// </summary>
public sealed class ReleaseRollbackSafetyTests(ReleaseAnalysisFixture fixture) : IClassFixture<ReleaseAnalysisFixture>
{
    private const string StagingOverlay = "apps/shortlink/overlays/staging/kustomization.yaml";
    private static readonly string StagingPath = DeployRequest.DefaultPath("shortlink", "staging");

    /// <summary>The image name the test manifests use (the build's Analyze is told with --manifests-image).</summary>
    private const string ImageName = "shortlink";

    private static DeployRequest Deploy(int digest, string tag) =>
        new("staging", "shortlink", StagingPath, new ImageUpdate(ImageName, "127.0.0.1:5000/shortlink", tag, ManifestsRepositoryTests.Digest(digest)));

    private static RollbackRequest Guarded(int digest, string? deployCommit) =>
        new RollbackRequest("staging", "shortlink", StagingPath)
        {
            Expected = [new ExpectedImage("shortlink", StagingPath, ImageName, ManifestsRepositoryTests.Digest(digest))],
            DeployCommit = deployCommit,
        };

    [Fact]
    public async Task A_guarded_rollback_reverts_the_judged_deploy_once_and_then_says_the_environment_no_longer_runs_it()
    {
        // Arrange: the good release, then the bad one under judgement.
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy(1, "1.1.0"));
        var good = await manifests.ShowAsync(StagingOverlay);
        var bad = (await repository.DeployAsync(Deploy(2, "1.2.0"))).Commit;

        // Act
        var first = await repository.RollbackAsync(Guarded(2, bad));
        var afterFirst = await manifests.HeadAsync();
        var second = await repository.RollbackAsync(Guarded(2, bad));

        // Assert: the bad deploy reverted once; the good release stays.
        Assert.Null(first.Declined);
        Assert.Contains($"Reverts: {bad}", await manifests.GitAsync("log", "-1", "--format=%B", "main"));
        Assert.NotNull(second.Declined);
        Assert.Contains("staging no longer runs the judged release", second.Describe());
        Assert.Contains($"shortlink runs {ManifestsRepository.ShortDigest(ManifestsRepositoryTests.Digest(1))}, not the judged {ManifestsRepository.ShortDigest(ManifestsRepositoryTests.Digest(2))}", second.Describe());
        Assert.Equal(afterFirst, await manifests.HeadAsync());
        Assert.Equal(good, await manifests.ShowAsync(StagingOverlay));
    }

    [Fact]
    public async Task A_guarded_rollback_refuses_when_a_later_deploy_came_on_top_of_the_judged_one()
    {
        // Arrange: the judged deploy (digest 2), then a redeploy of the same digest under another tag on top.
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy(1, "1.1.0"));
        var judged = (await repository.DeployAsync(Deploy(2, "1.2.0"))).Commit;
        await repository.DeployAsync(Deploy(2, "1.2.0-hotfix"));
        var head = await manifests.HeadAsync();

        // Act
        var revision = await repository.RollbackAsync(Guarded(2, judged));

        // Assert
        Assert.Contains($"not the judged {judged[..12]}: nothing rolled back", revision.Declined);
        Assert.Equal(head, await manifests.HeadAsync());
    }

    [Fact]
    public async Task Analyze_twice_after_a_breach_reverts_the_bad_release_once_reports_the_first_verdict_and_never_reverts_the_good_one()
    {
        // Arrange: two real deploys; the state names the second as Deploy would.
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy(1, "1.1.0"));
        var good = await manifests.ShowAsync(StagingOverlay);
        var bad = (await repository.DeployAsync(Deploy(2, "1.2.0"))).Commit;
        using var harness = new BuildHarness();
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(harness.Root, "global.json"));
        var state = PipelineState.Load(new WorkspaceLayout(harness.Root).StateFile);
        state.Set("DEPLOY_COMMIT", bad);
        state.Set("DEPLOY_ENVIRONMENT", "staging");
        state.Save();
        using var files = new TempDirectory("analyze-twice");
        string[] analyze = ["Analyze", "--skip", "--service", "shortlink", "--prometheus-url", fixture.Prometheus.Url.ToString(),
            "--objectives", ReleaseAnalysisTests.ShortObjectivesFile(files), "--analysis-namespace", "faulty",
            "--environment", "staging", "--manifests-repo", manifests.Path, "--manifests-image", ImageName];

        // Act
        var firstExit = await harness.RunAsync(new global::Build(), "Test", analyze);
        var afterFirst = await manifests.HeadAsync();
        var firstText = harness.Text;
        var secondExit = await harness.RunAsync(new global::Build(), "Test", analyze);
        var secondText = harness.Text[firstText.Length..];
        var freshExit = await harness.RunAsync(new global::Build(), "Test", [.. analyze, "--fresh"]);
        var freshText = harness.Text[(firstText.Length + secondText.Length)..];

        // Assert: one rollback commit, reverting exactly the judged deploy.
        Assert.Equal(BuildRunner.Failure, firstExit);
        Assert.Contains("Rolled back staging:", firstText);
        Assert.Contains($"Reverts: {bad}", await manifests.GitAsync("log", "-1", "--format=%B", "main"));
        // The retry reports the first verdict and measures nothing.
        Assert.Equal(BuildRunner.Failure, secondExit);
        Assert.Contains($"Already judged: staging at {bad[..12]}", secondText);
        Assert.DoesNotContain("Check 1/", secondText);
        // --fresh judges again (a breach still: the faulty service), but staging no longer runs the judged digest.
        Assert.Equal(BuildRunner.Failure, freshExit);
        Assert.Contains("Check 1/", freshText);
        Assert.Contains("Not rolled back: staging no longer runs the judged release", freshText);
        Assert.Equal(afterFirst, await manifests.HeadAsync());
        Assert.Equal(good, await manifests.ShowAsync(StagingOverlay));
        var record = PipelineState.Load(new WorkspaceLayout(harness.Root).StateFile).GetRecord<Pipelines.Analysis.AnalysisRecord>(Pipelines.Analysis.AnalysisReport.StateKey)!;
        Assert.Equal(("staging", bad), (record.Environment, record.DeployCommit));
        Assert.Equal(ManifestsRepositoryTests.Digest(2), record.Digests["shortlink"]);
    }
}
