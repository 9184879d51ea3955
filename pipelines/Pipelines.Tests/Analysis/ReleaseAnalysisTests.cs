using Pipelines.Analysis;
using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Targets;
using Pipelines.Tests.GitOps;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// The whole verification against the real thing: Debian's Prometheus scraping the real sample service under a
/// bounded load, the shipped objectives file, and a real manifests repository for the promotion or rollback.
/// </summary>
public sealed class ReleaseAnalysisTests(ReleaseAnalysisFixture fixture) : IClassFixture<ReleaseAnalysisFixture>
{
    private const string StagingOverlay = "apps/shortlink/overlays/staging/kustomization.yaml";
    private const string ProdOverlay = "apps/shortlink/overlays/prod/kustomization.yaml";

    private static DeployRequest Deploy(string environment, int digest, string tag) =>
        new(environment, "shortlink", DeployRequest.DefaultPath("shortlink", environment),
            new ImageUpdate("shortlink", "127.0.0.1:5000/shortlink", tag, ManifestsRepositoryTests.Digest(digest)));

    private static ReleaseActions Actions(ManifestsRepository repository) => new()
    {
        Promote = async ct => (await repository.PromoteAsync(DeployRequest.DefaultPath("shortlink", "staging"),
            new DeployRequest("prod", "shortlink", DeployRequest.DefaultPath("shortlink", "prod"), new ImageUpdate("shortlink", null, null, null)), ct)).Describe(),
        Rollback = async ct => new RollbackOutcome(true, (await repository.RollbackAsync(new RollbackRequest("staging", "shortlink", DeployRequest.DefaultPath("shortlink", "staging")), ct)).Describe()),
    };

    private static async Task<AnalysisReport> AnalyzeAsync(Uri prometheus, string @namespace, ReleaseActions actions, AnalysisSpec? spec = null, MemoryLog? log = null)
    {
        using var client = new PrometheusClient(prometheus, queryTimeout: TimeSpan.FromSeconds(5));
        return await new ReleaseAnalyzer(client, log ?? new MemoryLog())
            .AnalyzeAsync(new AnalysisRequest("shortlink", "staging", @namespace, spec ?? ReleaseAnalysisFixture.ShippedObjectivesInSeconds()), actions, CancellationToken.None);
    }

    [Fact]
    public async Task A_healthy_release_passes_and_is_promoted_to_the_next_environment()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy("staging", 5, "1.5.0"));

        // Act
        var report = await AnalyzeAsync(fixture.Prometheus.Url, "healthy", Actions(repository));

        // Assert
        Assert.Equal(AnalysisVerdict.Pass, report.Verdict);
        Assert.Equal(2, report.Checks.Count);
        Assert.All(report.Checks.SelectMany(c => c.Measurements), m => Assert.True(m.Met, m.Describe()));
        Assert.Equal(1.0, report.Checks[^1].Measurements.Single(m => m.Objective.Name == "availability").Value);
        Assert.StartsWith("Promoted:", report.Action);
        Assert.Contains($"digest: {ManifestsRepositoryTests.Digest(5)}", await manifests.ShowAsync(ProdOverlay));
        Assert.StartsWith("deploy(prod): shortlink 1.5.0", await manifests.GitAsync("log", "-1", "--format=%s", "main"));
        Assert.Contains("| 2 |", report.ToMarkdown());
        report.EnsurePassed();
    }

    [Fact]
    public async Task A_release_that_breaks_an_objective_is_rolled_back_and_the_message_names_objective_value_and_threshold()
    {
        // Arrange: the previous release, then the one under analysis.
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy("staging", 1, "1.1.0"));
        var good = await manifests.ShowAsync(StagingOverlay);
        await repository.DeployAsync(Deploy("staging", 2, "1.2.0"));

        // Act
        var report = await AnalyzeAsync(fixture.Prometheus.Url, "faulty", Actions(repository));

        // Assert
        Assert.Equal(AnalysisVerdict.Breach, report.Verdict);
        Assert.Single(report.Checks); // the failure limit is 0: the first failed check decides
        Assert.Matches(@"availability observed 0\.\d+ \(threshold >= 0\.999\)", report.Message);
        Assert.StartsWith("Rolled back staging:", report.Action);
        Assert.Equal(good, await manifests.ShowAsync(StagingOverlay));
        Assert.StartsWith("rollback(staging): shortlink revert", await manifests.GitAsync("log", "-1", "--format=%s", "main"));
        Assert.DoesNotContain(ManifestsRepositoryTests.Digest(2), await manifests.ShowAsync(ProdOverlay));
        var error = Assert.Throws<PipelineException>(report.EnsurePassed);
        Assert.Contains("availability observed", error.Message);
    }

    [Fact]
    public async Task When_prometheus_is_stopped_the_analysis_fails_before_its_window_and_nothing_is_promoted_or_rolled_back()
    {
        // Arrange: a Prometheus that scraped the healthy service, then went away.
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy("staging", 1, "1.1.0"));
        await repository.DeployAsync(Deploy("staging", 2, "1.2.0"));
        var head = await manifests.HeadAsync();
        await using var prometheus = await PrometheusServer.StartAsync(("healthy", fixture.Healthy.Address));
        await prometheus.StopAsync();
        var log = new MemoryLog();

        // Act
        var error = await Assert.ThrowsAsync<PipelineException>(() => AnalyzeAsync(prometheus.Url, "healthy", Actions(repository) with { RollbackOnInconclusive = true }, log: log));

        // Assert: a configuration error, not a verdict: no check ran, nothing changed.
        Assert.Contains("cannot start", error.Message);
        Assert.Contains("check --prometheus-url", error.Message);
        Assert.DoesNotContain("Check 1/", log.Text);
        Assert.Equal(head, await manifests.HeadAsync());
    }

    [Fact]
    public async Task Without_traffic_the_analysis_is_inconclusive_whether_the_traffic_gate_or_the_nan_ratio_notices()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy("staging", 1, "1.1.0"));
        await repository.DeployAsync(Deploy("staging", 2, "1.2.0"));
        var head = await manifests.HeadAsync();
        var withoutGate = ReleaseAnalysisFixture.ShippedObjectivesInSeconds() with { MinimumTraffic = null };

        // Act
        var gated = await AnalyzeAsync(fixture.Prometheus.Url, "idle", Actions(repository));
        var ungated = await AnalyzeAsync(fixture.Prometheus.Url, "idle", Actions(repository), withoutGate);

        // Assert
        Assert.Equal(AnalysisVerdict.Inconclusive, gated.Verdict);
        Assert.Contains("fewer than minimumTraffic.requests (10)", gated.Message);
        Assert.Equal(AnalysisVerdict.Inconclusive, ungated.Verdict);
        Assert.Contains("availability: NaN (no traffic in the range", ungated.Message);
        Assert.Equal(head, await manifests.HeadAsync());
    }

    [Fact]
    public async Task A_query_that_returns_nan_is_inconclusive_never_a_pass_and_one_that_does_not_parse_fails_before_the_window()
    {
        // Arrange: objectives that would pass on any number.
        var spec = ReleaseAnalysisFixture.ShippedObjectivesInSeconds() with { MinimumTraffic = null, Window = TimeSpan.FromSeconds(1), Interval = TimeSpan.FromSeconds(1) };
        var nan = spec with { Objectives = [new Objective("ratio", "sum(vector(0)) / sum(vector(0))", Comparison.AtMost, 1e9)] };
        var broken = spec with { Objectives = [new Objective("ratio", "sum(rate(", Comparison.AtMost, 1e9)] };

        // Act
        var nanReport = await AnalyzeAsync(fixture.Prometheus.Url, "healthy", ReleaseActions.None, nan);
        var brokenError = await Assert.ThrowsAsync<PipelineException>(() => AnalyzeAsync(fixture.Prometheus.Url, "healthy", ReleaseActions.None, broken));

        // Assert
        Assert.Equal(AnalysisVerdict.Inconclusive, nanReport.Verdict);
        Assert.Contains("NaN", nanReport.Message);
        Assert.Contains("ratio: Prometheus rejected `sum(rate(`: bad_data", brokenError.Message);
        Assert.Contains("fix the query in the objectives file", brokenError.Message);
    }

    /// <summary>The shipped objectives file with the window in seconds, as a file the Analyze target reads.</summary>
    internal static string ShortObjectivesFile(TempDirectory directory)
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "manifests", "apps", "shortlink", "objectives.yaml"))
            .Replace("window: 10m", "window: 6s").Replace("interval: 1m", "interval: 3s")
            .Replace("failureLimit: 1", "failureLimit: 0").Replace("inconclusiveLimit: 1", "inconclusiveLimit: 0")
            .Replace("requests: 50", "requests: 10");
        var path = directory.Combine("objectives.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task The_Analyze_target_rolls_back_a_breaching_release_and_fails_naming_the_objective()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy("staging", 1, "1.1.0"));
        await repository.DeployAsync(Deploy("staging", 2, "1.2.0"));
        using var harness = new BuildHarness();
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(harness.Root, "global.json"));
        using var files = new TempDirectory("analyze-target");

        // Act
        var exit = await harness.RunAsync(new global::Build(), "Test", "Analyze", "--skip", "--service", "shortlink",
            "--prometheus-url", fixture.Prometheus.Url.ToString(), "--objectives", ShortObjectivesFile(files),
            "--analysis-namespace", "faulty", "--environment", "staging", "--manifests-repo", manifests.Path, "--manifests-image", "shortlink");

        // Assert
        Assert.True(exit == BuildRunner.Failure, harness.Text);
        Assert.Matches(@"availability observed 0\.\d+ \(threshold >= 0\.999\)", harness.Text);
        Assert.StartsWith("rollback(staging): shortlink revert", await manifests.GitAsync("log", "-1", "--format=%s", "main"));
        Assert.Equal("breach", PipelineState.Load(new WorkspaceLayout(harness.Root).StateFile).Get("ANALYSIS_VERDICT"));
    }

    [Fact]
    public async Task The_Analyze_target_publishes_a_pass_and_leaves_the_manifests_alone_without_promote_on_success()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var head = await manifests.HeadAsync();
        using var harness = new BuildHarness();
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(harness.Root, "global.json"));
        using var files = new TempDirectory("analyze-target");

        // Act
        var exit = await harness.RunAsync(new global::Build(), "Test", "Analyze", "--skip", "--service", "shortlink",
            "--prometheus-url", fixture.Prometheus.Url.ToString(), "--objectives", ShortObjectivesFile(files),
            "--analysis-namespace", "healthy", "--environment", "staging", "--manifests-repo", manifests.Path, "--prometheus-lag", "1s");

        // Assert
        Assert.True(exit == 0, harness.Text);
        Assert.Contains("passed: 2 of 2 checks kept every objective", harness.Text);
        Assert.Contains("Checks evaluated at the window's start + n × interval, each asked 1s later (--prometheus-lag)", harness.Text);
        Assert.Contains("What the analysis saw: artifacts/analysis/shortlink.json", harness.Text);
        var evidence = await File.ReadAllTextAsync(new WorkspaceLayout(harness.Root).AnalysisFileOf("shortlink"));
        Assert.Contains("\"prometheusLag\": \"1s\"", evidence);
        Assert.Contains("\"verdict\": \"pass\"", evidence);
        Assert.Contains("No promotion (pass --promote-on-success", harness.Text);
        Assert.Equal(head, await manifests.HeadAsync());
        Assert.Equal("pass", PipelineState.Load(new WorkspaceLayout(harness.Root).StateFile).Get("ANALYSIS_VERDICT"));
    }
}
