using Pipelines.Analysis;
using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Targets;
using Pipelines.Tests.GitOps;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// Configuration errors are not verdicts: a PromQL typo or a wrong Prometheus password, against Debian's real
/// Prometheus, stop a run of Deploy and Analyze before Deploy commits anything, and never roll back, even with
/// --rollback-on-inconclusive.
/// </summary>
public sealed class AnalysisConfigurationTests(ReleaseAnalysisFixture fixture) : IClassFixture<ReleaseAnalysisFixture>
{
    private static DeployRequest Deploy(int digest, string tag) =>
        new("staging", "shortlink", DeployRequest.DefaultPath("shortlink", "staging"), new ImageUpdate("shortlink", "127.0.0.1:5000/shortlink", tag, ManifestsRepositoryTests.Digest(digest)));

    /// <summary>Runs Deploy and Analyze together (their upstream targets skipped) against a manifests repository with two deploys.</summary>
    private static async Task<(int Exit, string Text, string HeadBefore, string HeadAfter)> DeployAndAnalyzeAsync(Func<TempDirectory, string[]> arguments, Action<string>? addToManifests = null)
    {
        using var manifests = await BareManifests.CreateAsync(addToTemplate: addToManifests);
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy(1, "1.1.0"));
        await repository.DeployAsync(Deploy(2, "1.2.0"));
        var before = await manifests.HeadAsync();
        using var harness = new BuildHarness();
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(harness.Root, "global.json"));
        using var files = new TempDirectory("analysis-configuration");
        var exit = await harness.RunAsync(new global::Build(), "Test", ["Deploy", "Analyze", "--skip", "Test", "Containerize", "Scan", "Sign",
            "--service", "shortlink", "--environment", "staging", "--manifests-repo", manifests.Path, "--manifests-image", "shortlink",
            "--analysis-namespace", "faulty", "--rollback-on-inconclusive", .. arguments(files)]);
        return (exit, harness.Text, before, await manifests.HeadAsync());
    }

    [Fact]
    public async Task A_promql_typo_stops_deploy_and_analyze_before_anything_runs_and_never_rolls_back()
    {
        // Act: the availability query with its rate( left unclosed.
        var (exit, text, before, after) = await DeployAndAnalyzeAsync(files =>
        {
            var path = ReleaseAnalysisTests.ShortObjectivesFile(files);
            File.WriteAllText(path, File.ReadAllText(path).Replace("[{{interval}}]))\n", "[{{interval}}])\n"));
            return ["--prometheus-url", fixture.Prometheus.Url.ToString(), "--objectives", path];
        });

        // Assert
        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("Analyze cannot run: Analysis of shortlink in staging cannot start", text);
        Assert.Contains("bad_data", text);
        Assert.Contains("fix the query in the objectives file", text);
        Assert.Contains("Nothing was run.", text);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_wrong_prometheus_password_stops_deploy_and_analyze_before_anything_runs_and_never_rolls_back()
    {
        await using var guarded = await PrometheusServer.StartWithBasicAuthAsync(("faulty", fixture.Faulty.Address));

        var (exit, text, before, after) = await DeployAndAnalyzeAsync(files =>
            ["--prometheus-url", guarded.Url.ToString(), "--objectives", ReleaseAnalysisTests.ShortObjectivesFile(files),
             "--prometheus-username", PrometheusServer.BasicAuthUser, "--prometheus-password", "wrong-horse"]);

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("refused the query (401)", text);
        Assert.Contains("--prometheus-username/--prometheus-password", text);
        Assert.DoesNotContain("wrong-horse", text);
        Assert.Contains("Nothing was run.", text);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Three_mistakes_in_the_objectives_of_the_manifests_repository_are_reported_together_with_line_and_column_before_deploy_runs()
    {
        // Arrange: the shipped objectives in the manifests repository, with three mistakes.
        using var scratch = new TempDirectory("objectives-mistakes");
        var broken = File.ReadAllText(ReleaseAnalysisTests.ShortObjectivesFile(scratch))
            .Replace("window: 6s", "window: 5").Replace("comparison: \">=\"", "comparison: \">>\"").Replace("threshold: 0.3", "threshold: high");
        var lines = broken.Split('\n');
        int LineOf(string text) => Array.FindIndex(lines, l => l.Contains(text)) + 1;

        // Act
        var (exit, text, before, after) = await DeployAndAnalyzeAsync(
            _ => ["--prometheus-url", fixture.Prometheus.Url.ToString()],
            folder => File.WriteAllText(Path.Combine(folder, "apps", "shortlink", "objectives.yaml"), broken));

        // Assert: all three, each at its place, and nothing ran.
        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("The objectives file has 3 errors:", text);
        Assert.Contains($"apps/shortlink/objectives.yaml:{LineOf("window: 5")}:9: `window: 5` is not a duration", text);
        Assert.Contains($"apps/shortlink/objectives.yaml:{LineOf("comparison: \">>\"")}:17: the objective `availability` has comparison `>>`", text);
        Assert.Contains($"apps/shortlink/objectives.yaml:{LineOf("threshold: high")}:16: `threshold: high` of the objective `p95-latency-seconds`", text);
        Assert.Contains("Nothing was run.", text);
        Assert.DoesNotContain("═══ Deploy", text);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task The_right_password_lets_the_same_prometheus_answer()
    {
        await using var guarded = await PrometheusServer.StartWithBasicAuthAsync(("healthy", fixture.Healthy.Address));
        using var client = new PrometheusClient(guarded.Url, new PrometheusCredentials(null, PrometheusServer.BasicAuthUser, PrometheusServer.BasicAuthPassword));

        var samples = await client.QueryAsync("vector(1)", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(1, Assert.Single(samples).Value);
    }

    [Fact]
    public async Task Prometheus_failing_mid_window_is_an_error_that_never_rolls_back_even_with_rollback_on_inconclusive()
    {
        // Arrange: a Prometheus that answers the validation, then is stopped before the first check.
        await using var prometheus = await PrometheusServer.StartAsync(("healthy", fixture.Healthy.Address));
        using var client = new PrometheusClient(prometheus.Url, queryTimeout: TimeSpan.FromSeconds(2));
        var spec = ReleaseAnalysisFixture.ShippedObjectivesInSeconds() with { Window = TimeSpan.FromSeconds(2), Interval = TimeSpan.FromSeconds(2) };
        var request = new AnalysisRequest("shortlink", "staging", "healthy", spec);
        var analyzer = new ReleaseAnalyzer(client, new MemoryLog());
        await analyzer.ValidateAsync(request, CancellationToken.None);
        await prometheus.StopAsync();
        var rolledBack = false;
        var actions = new ReleaseActions { RollbackOnInconclusive = true, Rollback = _ => { rolledBack = true; return Task.FromResult(new RollbackOutcome(true, "reverted")); } };

        // Act
        var report = await analyzer.MeasureAsync(request, CancellationToken.None);
        var action = await actions.ActAsync(report.Verdict, "staging", CancellationToken.None);

        // Assert
        Assert.Equal(AnalysisVerdict.Error, report.Verdict);
        Assert.Contains("Prometheus could not answer", report.Message);
        Assert.False(rolledBack);
        Assert.StartsWith("No promotion and no rollback: Prometheus could not answer", action);
    }
}
