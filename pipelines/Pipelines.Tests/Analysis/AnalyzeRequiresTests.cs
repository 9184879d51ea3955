using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;

namespace Pipelines.Tests.Analysis;

/// <summary>Analyze's inputs are checked before the first target: a promotion needs the rollout check, a URL must be one.</summary>
public sealed class AnalyzeRequiresTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public AnalyzeRequiresTests() =>
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(_harness.Root, "global.json"));

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("--promote-on-success promotes only a release Analyze saw roll out: add --wait-for-rollout", "--prometheus-url", "http://127.0.0.1:9", "--promote-on-success")]
    [InlineData("--prometheus-url `prometheus:9090` is not an http(s) URL", "--prometheus-url", "prometheus:9090")]
    public async Task Analyze_refuses_what_it_could_not_do_before_anything_runs(string expected, params string[] arguments)
    {
        var exit = await _harness.RunAsync(new global::Build(), "Test", ["Analyze", "--skip", "--service", "shortlink", .. arguments]);

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains(expected, _harness.Text);
        Assert.Contains("Nothing was run.", _harness.Text);
    }
}
