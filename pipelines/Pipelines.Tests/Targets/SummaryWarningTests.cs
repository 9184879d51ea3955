using Pipelines.Logging;
using Pipelines.Targets;

namespace Pipelines.Tests.Targets;

/// <summary>A target that succeeds with something wrong on the side (a Flux receiver not poked) says so in the summary, not only in the log.</summary>
public sealed class SummaryWarningTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class PokingBuild : PipelineBuild
    {
        public Target Deploy => _ => _.Executes(ctx =>
        {
            ctx.Log.Warn("The Flux receiver cannot be reached.");
            ctx.SummaryWarning("The Flux receiver cannot be reached.");
        });
    }

    [Fact]
    public async Task A_warning_of_a_succeeded_target_is_a_warning_row_of_the_summary()
    {
        var exit = await _harness.RunAsync(new PokingBuild(), "Deploy");

        Assert.Equal(BuildRunner.Success, exit);
        Assert.Matches(@"Warning\s+Deploy: The Flux receiver cannot be reached\.", _harness.Text);
    }
}
