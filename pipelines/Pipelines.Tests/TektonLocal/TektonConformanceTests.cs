using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Run files written from Tekton's docs (TektonLocal/testdata), run with --file semantics on the real engine with a
/// local busybox image: each asserts the verdict, the reason and what the steps printed, or the refusal.
/// </summary>
public sealed class TektonConformanceTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    private static string RunFile(string name) => Path.Combine(AppContext.BaseDirectory, "TektonLocal", "testdata", name);

    private static LocalPipelineRunOptions Options(string file) =>
        new(Path.Combine(AppContext.BaseDirectory, "TektonLocal", "testdata"), new Dictionary<string, string>())
        {
            RunFile = RunFile(file),
            Environment = new Dictionary<string, string?>(),
            RunnerDockerfile = RunFile("no-such-Dockerfile"),
        };

    private static async Task<(LocalPipelineRunResult Run, string Log)> RunAsync(string file)
    {
        var log = new MemoryLog();
        var run = await new LocalPipelineRunner(log).RunAsync(Options(file), CancellationToken.None);
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
        return (run, log.Text);
    }

    [Fact]
    public async Task Fields_the_runner_does_not_implement_are_refused_with_their_lines_before_anything_starts()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("refused.yaml"), CancellationToken.None));

        var file = RunFile("refused.yaml");
        Assert.Contains("nothing was started", error.Message);
        Assert.Contains($"{file}:11:9 spec.pipelineSpec.tasks[0].taskRef.resolver", error.Message);
        Assert.Contains($"{file}:12:9 spec.pipelineSpec.tasks[0].taskRef.params", error.Message);
        Assert.Contains($"{file}:17:9 spec.pipelineSpec.tasks[1].when[0].cel", error.Message);
        Assert.Contains($"{file}:18:7 spec.pipelineSpec.tasks[1].pipelineRef", error.Message);
        Assert.Contains($"{file}:26:13 spec.pipelineSpec.tasks[1].taskSpec.steps[0].ref.resolver", error.Message);
        Assert.Contains($"{file}:29:11 spec.pipelineSpec.tasks[1].taskSpec.steps[1].scirpt", error.Message);
        Assert.Contains($"{file}:30:20 spec.pipelineSpec.tasks[1].taskSpec.steps[1].onError: ignore (supported: continue, stopAndFail)", error.Message);
        Assert.Contains("7 field(s)", error.Message);
        Assert.Empty(await LocalRunLeftovers.FindAsync("refused"));
    }

    [Fact]
    public async Task An_image_that_is_neither_here_nor_pullable_stops_the_run_naming_it()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("unpullable.yaml"), CancellationToken.None));

        Assert.Contains("127.0.0.1:1/nowhere/none:1.0", error.Message);
        Assert.Contains("--tekton-images", error.Message);
        Assert.Empty(await LocalRunLeftovers.FindAsync("unpullable"));
    }

    [Fact]
    public async Task A_consumed_result_never_written_fails_the_run_as_InvalidTaskResultReference()
    {
        var (run, log) = await RunAsync("missing-result.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("InvalidTaskResultReference", run.Reason);
        Assert.Contains("Could not find result with name commit for pipeline task produce", run.Message);
        Assert.Contains("[produce/forget] produce ran and wrote nothing", log);
        Assert.DoesNotContain("consume ran", log);
        Assert.Equal("", run.Task("consume").TaskRunName);
        Assert.Contains("[report/report] finally saw", log);
    }

    [Fact]
    public async Task Pipeline_results_skip_a_skipped_task_read_finally_and_fail_the_run_on_a_result_never_written()
    {
        var (run, log) = await RunAsync("pipeline-results.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("CouldntGetPipelineResult", run.Reason);
        Assert.Contains("invalid pipelineresults [forgotten]", run.Message);
        Assert.Equal("written", run.Results["written"]);
        Assert.Equal("from finally", run.Results["from-finally"]);
        Assert.Equal("b", run.Results["array-element"]);
        Assert.False(run.Results.ContainsKey("skipped"));
        Assert.Equal("When Expressions evaluated to false", run.Task("never").Reason);
    }

    [Fact]
    public async Task A_result_above_the_limit_fails_the_step_that_wrote_it_and_later_steps_do_not_run()
    {
        var (run, log) = await RunAsync("large-result.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("StepFailed", run.Reason);
        Assert.StartsWith("\"step-big\" exited with code 1: Termination message is above max allowed size 4096", run.Message);
        Assert.Contains("small step ran", log);
        Assert.DoesNotContain("after step ran", log);
        Assert.Contains("[large-result/after] skipped", log);
    }

    [Fact]
    public async Task OnError_continue_records_the_exit_code_for_the_next_step_and_the_TaskRun_succeeds()
    {
        var (run, log) = await RunAsync("on-error.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[on-error/check] previous exit code 7", log);
    }

    [Fact]
    public async Task OnError_stopAndFail_fails_the_TaskRun_naming_the_step()
    {
        var (run, log) = await RunAsync("on-error-stop.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("StepFailed", run.Reason);
        Assert.Equal("\"step-fail\" exited with code 4", run.Message);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task Retries_run_the_task_again_with_its_retry_count_until_it_succeeds()
    {
        var (run, log) = await RunAsync("retries.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[flaky/try] attempt 0 of 2 in retries-flaky of retries", log);
        Assert.Contains("[flaky/try] attempt 1 of 2", log);
        Assert.Contains("[flaky/try] attempt 2 of 2", log);
        Assert.Equal(2, run.Task("flaky").Retries);
    }

    [Fact]
    public async Task Array_and_object_params_defaults_precedence_and_when_in_notin_are_Tekton_s()
    {
        var (run, log) = await RunAsync("params.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Completed", run.Reason);
        Assert.Contains("[show/show] args: alpha beta gamma", log);
        Assert.Contains("[show/show] second: beta city: Lyon greeting: hello", log);
        Assert.Contains("[show/show] shadowed: from-task unset: the-default", log);
        Assert.Equal("When Expressions evaluated to false", run.Task("skipped").Reason);
        Assert.DoesNotContain("never printed", log);
    }
}
