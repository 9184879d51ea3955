using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Targets;

/// <summary>
/// Every output a target declares reaches the host on every path that does not fail (ran, skipped by its condition,
/// skipped by the cache): a Tekton Pipeline that references a result its Task did not write fails the PipelineRun.
/// </summary>
public sealed class DeclaredOutputsTests : IDisposable
{
    private readonly BuildHarness _harness = new();
    private readonly TempDirectory _temp = new("outputs");
    private string Results => _temp.Combine("results");

    public DeclaredOutputsTests()
    {
        _harness.Environment["PIPELINE_HOST"] = "tekton";
        _harness.Environment["PIPELINE_RESULTS_DIR"] = Results;
    }

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }

    private Dictionary<string, string> Written() =>
        Directory.Exists(Results)
            ? Directory.GetFiles(Results).ToDictionary(f => Path.GetFileName(f), File.ReadAllText)
            : [];

    [Fact]
    public async Task A_target_its_condition_skips_writes_each_declared_result_empty()
    {
        var exit = await _harness.RunAsync(new OutputsBuild(), "Analyze", "Analyze");

        Assert.True(exit == BuildRunner.Success, _harness.Text);
        Assert.Contains("Analyze skipped: ", _harness.Text);
        Assert.Equal("", Written()["VERDICT"]);
        Assert.Null(PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile).Get("VERDICT"));
    }

    [Fact]
    public async Task A_target_that_ran_writes_the_outputs_it_left_unset_empty()
    {
        var exit = await _harness.RunAsync(new OutputsBuild(), "Compile", "Compile");

        Assert.True(exit == BuildRunner.Success, _harness.Text);
        Assert.Equal(new Dictionary<string, string> { ["IMAGE"] = "app@sha256:1", ["WARNINGS"] = "" }, Written());
    }

    [Fact]
    public async Task A_target_the_cache_skips_writes_every_declared_result_again()
    {
        Assert.Equal(BuildRunner.Success, await _harness.RunAsync(new OutputsBuild(), "Compile", "Compile"));
        Directory.Delete(Results, recursive: true);

        var build = new OutputsBuild();
        var exit = await _harness.RunAsync(build, "Compile", "Compile");

        Assert.True(exit == BuildRunner.Success, _harness.Text);
        Assert.Empty(build.Ran);
        Assert.Equal(new Dictionary<string, string> { ["IMAGE"] = "app@sha256:1", ["WARNINGS"] = "" }, Written());
    }

    [Fact]
    public async Task A_target_skipped_on_the_command_line_writes_nothing_and_keeps_the_state()
    {
        Assert.Equal(BuildRunner.Success, await _harness.RunAsync(new OutputsBuild(), "Compile", "Compile"));
        Directory.Delete(Results, recursive: true);

        // The Analyze Task's own command line: its dependencies ran in earlier Tasks, which wrote their results.
        var exit = await _harness.RunAsync(new OutputsBuild(), "Analyze", "Analyze", "--skip", "--url", "http://prometheus:9090");

        Assert.True(exit == BuildRunner.Success, _harness.Text);
        Assert.Equal(new Dictionary<string, string> { ["VERDICT"] = "pass for app@sha256:1" }, Written());
    }

    [Fact]
    public async Task On_GitHub_a_skipped_target_sets_its_outputs_empty()
    {
        var outputs = _temp.Combine("github-output");
        _harness.Environment.Remove("PIPELINE_HOST");
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_OUTPUT"] = outputs;

        var exit = await _harness.RunAsync(new OutputsBuild(), "Analyze", "Analyze");

        Assert.True(exit == BuildRunner.Success, _harness.Text);
        Assert.Equal(["IMAGE=app@sha256:1", "WARNINGS=", "VERDICT="], File.ReadAllLines(outputs));
    }

    /// <summary>Compile (cached) declares two outputs and sets one; Analyze runs only with --url.</summary>
    private sealed class OutputsBuild : PipelineBuild
    {
        public readonly List<string> Ran = [];

        [Parameter("Where Analyze reads its numbers; empty skips it")]
        readonly string? Url = null;

        public Target Compile => _ => _
            .Inputs(inputs => inputs.Add("version", "1"))
            .Produces("IMAGE", "WARNINGS")
            .Executes(context =>
            {
                Ran.Add("Compile");
                context.Publish("IMAGE", "app@sha256:1");
            });

        public Target Analyze => _ => _
            .DependsOn(Compile)
            .OnlyWhen(() => Url is { Length: > 0 }, "--url is set")
            .Produces("VERDICT")
            .Executes(context => context.Publish("VERDICT", "pass for " + context.State.Get("IMAGE")));
    }
}
