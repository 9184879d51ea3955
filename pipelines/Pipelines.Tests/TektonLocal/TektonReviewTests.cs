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

    [Fact]
    public async Task A_step_result_counts_toward_the_termination_message_limit()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("large-step-result.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("StepFailed", run.Reason);
        Assert.Contains("\"step-big\" exited with code 1: Termination message is above max allowed size 4096", run.Message);
        Assert.DoesNotContain("after step ran", log);
    }

    private const string Steps = """
        apiVersion: tekton.dev/v1
        kind: TaskRun
        metadata:
          name: steps
        spec:
          taskSpec:
            sidecars:
            - name: db
              image: busybox
              startupProbe:
                successThreshold: 2
                exec:
                  command: ["true"]
            steps:
            - name: Make_It
              image: busybox
              results:
              - name: tag
              script: echo
            - name: use
              image: busybox:$(steps.make.results.tag)
              env:
              - name: TAG
                value: $(steps.make.results.tag)
              args: ["$(steps.make.results.tag)"]
              script: echo "$(steps.make.results.tag)"
        """;

    [Fact]
    public void Step_names_step_result_references_and_a_startupProbe_successThreshold_are_checked_for_every_step_before_anything_starts()
    {
        var problems = StepActions.FindInvalid(Steps, "steps.yaml");

        Assert.Equal(
            [
                "steps.yaml:11:27 spec.taskSpec.sidecars[0].startupProbe.successThreshold: Invalid value: 2: must be 1",
                "steps.yaml:15:13 spec.taskSpec.steps[0].name: invalid value \"Make_It\" (Task step name must be a valid DNS Label: lowercase letters, digits and '-', at most 63)",
                "steps.yaml:21:14 spec.taskSpec.steps[1].image: stepResult substitutions are only allowed in env, command and args (pass it through env)",
                "steps.yaml:26:15 spec.taskSpec.steps[1].script: stepResult substitutions are only allowed in env, command and args (pass it through env)",
            ],
            problems.Order(StringComparer.Ordinal));
    }
}
