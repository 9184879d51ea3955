using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Run files written from Tekton's and Kubernetes' docs for defects a review of the local runner found: each fails
/// without its fix. They assert the verdict, the reason and what the steps printed (or the refusal, with file:line,
/// before anything starts), on the real engine, and that nothing was left behind.
/// </summary>
public sealed class TektonReviewTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    [Fact]
    public async Task A_startupProbe_without_periodSeconds_gives_the_sidecar_the_kubelet_s_thirty_seconds()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("sidecar-startup-default-period.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("sidecar-takes-five passed its startupProbe and is ready", log);
        Assert.Contains("[sidecar-startup-default-period/use] made by the sidecar after five seconds", log);
        Assert.DoesNotContain("failed its startupProbe", log);
    }

    [Fact]
    public async Task A_step_writes_its_own_run_folder_after_an_earlier_step_wrote_a_step_result()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("run-dirs-step-results.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[run-dirs-step-results/second] second wrote its own: hello", log);
    }

    [Fact]
    public async Task A_whole_array_or_object_param_in_a_text_field_is_refused_before_anything_starts()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new LocalPipelineRunner(new MemoryLog()).RunAsync(TektonRuntimeTests.Options("whole-param-in-text.yaml"), CancellationToken.None));

        var file = TektonRuntimeTests.RunFile("whole-param-in-text.yaml");
        Assert.Contains("nothing was started", error.Message);
        Assert.Contains($"{file}:22:14 spec.taskSpec.steps[0].image: variable type invalid in \"$(params.image)\"", error.Message);
        Assert.Contains($"{file}:23:19 spec.taskSpec.steps[0].workingDir: variable type invalid in \"$(params.words[*])\"", error.Message);
        Assert.Contains($"{file}:26:16 spec.taskSpec.steps[0].env[0].value: variable type invalid in \"$(params.words)\"", error.Message);
        Assert.Contains($"{file}:30:36 spec.taskSpec.steps[0].args[1]: variable is not properly isolated in \"--all=$(params.words)\"", error.Message);
        Assert.Contains($"{file}:33:15 spec.taskSpec.steps[1].script: variable type invalid in", error.Message);
        Assert.Contains("5 step field(s)", error.Message);
        Assert.Empty(await LocalRunLeftovers.FindAsync("whole-param-in-text"));
    }
}
