using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Run files written from Tekton's docs for what happens while a run runs (matrix fan-out, timeouts, a pipeline
/// task's onError), on the real engine with the local busybox image: each asserts the verdict, the reason, what the
/// steps printed, and that the run left no container, volume or network behind.
/// </summary>
public sealed class TektonRuntimeTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    internal static string RunFile(string name) => Path.Combine(AppContext.BaseDirectory, "TektonLocal", "testdata", name);

    internal static LocalPipelineRunOptions Options(string file) =>
        new(Path.Combine(AppContext.BaseDirectory, "TektonLocal", "testdata"), new Dictionary<string, string>())
        {
            RunFile = RunFile(file),
            Environment = new Dictionary<string, string?>(),
            RunnerDockerfile = RunFile("no-such-Dockerfile"),
        };

    internal static async Task<(LocalPipelineRunResult Run, string Log)> RunAsync(string file)
    {
        var log = new MemoryLog();
        var run = await new LocalPipelineRunner(log).RunAsync(Options(file), CancellationToken.None);
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
        return (run, log.Text);
    }

    [Fact]
    public async Task Matrix_fans_out_as_Tekton_combines_and_aggregates_results_into_an_array()
    {
        var (run, log) = await RunAsync("matrix.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("combination linux safari some-url in matrix-fan-0", log);
        Assert.Contains("combination mac safari no-url in matrix-fan-1", log);
        Assert.Contains("combination linux chrome some-url in matrix-fan-2", log);
        Assert.Contains("combination mac chrome no-url in matrix-fan-3", log);
        Assert.Contains("combination none i-do-not-exist no-url in matrix-fan-4", log);
        Assert.Contains("[gather/show] count 5 reported 5 reports: linux-safari mac-safari linux-chrome mac-chrome none-i-do-not-exist", log);
        Assert.Equal(5, run.Task("fan").Fanned.Count);
        // The status table: one row per TaskRun, the named include entries as the display names of those they match.
        foreach (var (i, display) in new[] { (0, "linux-url"), (1, ""), (2, "linux-url"), (3, ""), (4, "odd") })
            Assert.Matches($@" matrix-fan-{i}\s+fan\s+{display}\s+\S+\s+Succeeded", log);
    }

    [Fact]
    public async Task A_failed_matrix_TaskRun_fails_the_task_and_an_empty_matrix_array_skips_it()
    {
        var (run, log) = await RunAsync("matrix-failure.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("Failed", run.Reason);
        Assert.Equal("StepFailed", run.Task("fan").Reason);
        Assert.Equal("matrix-failure-fan-1", run.Task("fan").TaskRunName);
        Assert.Matches(@" matrix-failure-fan-0\s+fan\s+\S+\s+Succeeded", log);
        Assert.Matches(@" matrix-failure-fan-1\s+fan\s+\S+\s+Failed\(StepFailed\)", log);
        Assert.Equal("Matrix Parameters have an empty array", run.Task("empty").Reason);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task The_tasks_timeout_cancels_running_tasks_skips_the_rest_and_still_runs_finally()
    {
        var (run, log) = await RunAsync("timeouts-tasks.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("PipelineRunTimeout", run.Reason);
        Assert.Equal("PipelineRun \"timeouts-tasks\" failed due to tasks failed to finish within \"3s\"", run.Message);
        Assert.Equal("TaskRunCancelled", run.Task("slow").Reason);
        Assert.Equal("PipelineRun Tasks timeout has been reached", run.Task("later").Reason);
        Assert.Contains("[cleanup/report] finally ran, slow was Failed", log);
        Assert.DoesNotContain("never printed", log);
        Assert.True(run.Task("slow").Duration < TimeSpan.FromSeconds(20), $"the cancel took {run.Task("slow").Duration}");
    }

    [Fact]
    public async Task Timeouts_whose_tasks_and_finally_exceed_the_pipeline_are_refused_before_anything_starts()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("timeouts-invalid.yaml"), CancellationToken.None));

        Assert.Contains("tasks 8s + finally 5s should be <= pipeline duration 10s", error.Message);
        Assert.Empty(await LocalRunLeftovers.FindAsync("timeouts-invalid"));
    }

    [Fact]
    public async Task A_task_timeout_a_step_timeout_and_a_zero_timeout_behave_as_Tekton_documents()
    {
        var (run, log) = await RunAsync("task-timeouts.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("Failed", run.Reason);
        Assert.Equal("TaskRunTimeout", run.Task("hung").Reason);
        Assert.Equal("TaskRun \"task-timeouts-hung\" failed to finish within \"3s\"", run.Task("hung").Message);
        Assert.Equal("TaskRunTimeout", run.Task("step-limit").Reason);
        Assert.Equal("\"step-wait\" exited because the step exceeded the specified timeout limit", run.Task("step-limit").Message);
        Assert.Equal("Succeeded", run.Task("unlimited").Reason);
        Assert.Contains("[hung/wait] hung started", log);
        Assert.Contains("[step-limit/wait] step-limit started", log);
        Assert.Contains("[unlimited/wait] unlimited finished", log);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task A_TaskRun_past_its_timeout_fails_with_TaskRunTimeout_and_leaves_nothing_behind()
    {
        var (run, log) = await RunAsync("taskrun-timeout.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("TaskRunTimeout", run.Reason);
        Assert.Equal("TaskRun \"taskrun-timeout\" failed to finish within \"3s\"", run.Message);
        Assert.True(log.Contains("[taskrun-timeout/hang] hanging"), log);
        Assert.DoesNotContain("never printed", log);
        Assert.Contains("Failed(TaskRunTimeout)", log);
    }

    [Fact]
    public async Task A_pipeline_task_with_onError_continue_fails_as_FailureIgnored_and_the_run_goes_on()
    {
        var (run, log) = await RunAsync("task-on-error.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Completed", run.Reason);
        Assert.Equal("Tasks Completed: 2 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 1", run.Message);
        Assert.Equal("FailureIgnored", run.Task("flaky").Reason);
        Assert.Contains("[reader/read] reader got 123", log);
        Assert.Equal("Results were missing", run.Task("lenient").Reason);
        Assert.Matches(@" task-on-error-flaky\s+flaky\s+\S+\s+Failed\(FailureIgnored\)", log);
        Assert.DoesNotContain("never printed", log);
    }
}
