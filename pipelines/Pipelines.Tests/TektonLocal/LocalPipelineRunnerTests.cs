using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>The local runner against small Pipelines in testdata/tekton-local, on the real Docker engine.</summary>
public sealed class LocalPipelineRunnerTests
{
    private static readonly Dictionary<string, string?> Secrets = new() { ["TOKEN"] = "s3cr3t-token-value" };

    private static LocalPipelineRunOptions Options(string fixture, params (string Name, string Value)[] overrides) =>
        new(TestPaths.TestData("tekton-local", fixture), new Dictionary<string, string> { ["word"] = "hello" })
        {
            Overrides = overrides.ToDictionary(o => o.Name, o => o.Value),
            Environment = Secrets,
            RunnerDockerfile = TestPaths.TestData("tekton-local", "no-such-Dockerfile"),
        };

    [Fact]
    public async Task I_can_run_a_pipeline_with_results_a_when_skip_a_sidecar_and_finally()
    {
        var log = new MemoryLog();

        var run = await new LocalPipelineRunner(log).RunAsync(Options("basic"), CancellationToken.None);

        Assert.True(run.Succeeded, log.Text);
        Assert.Equal("Completed", run.Reason); // one task skipped by its when expression
        Assert.Equal("hello", run.Results["WORD"]);
        Assert.Equal("consumed hello", run.Results["ECHOED"]);
        Assert.Equal("1654", run.Task("produce").Results["uid"]);
        Assert.Equal("When Expressions evaluated to false", run.Task("never").Reason);
        Assert.Contains("[produce/write] greeting: hello from the ConfigMap token: *** absent: unset", log.Text);
        Assert.DoesNotContain("s3cr3t-token-value", log.Text);
        Assert.Contains("[produce/write] workspace 0:1654 drwxrwsr-x", log.Text); // a fresh PVC: root-owned, fsGroup applied
        Assert.Contains("[produce/after] sidecar shares the pod", log.Text);
        Assert.Contains("[report/report] aggregate status: Completed; produce: Succeeded", log.Text);
        Assert.Contains("Taskruns", log.Text);
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
    }

    [Fact]
    public async Task A_failing_step_fails_the_run_skips_the_rest_and_finally_sees_the_failure()
    {
        var log = new MemoryLog();

        var run = await new LocalPipelineRunner(log).RunAsync(Options("basic", ("fail", "true")), CancellationToken.None);

        Assert.False(run.Succeeded);
        Assert.Equal("Failed", run.Reason);
        Assert.Equal("StepFailed", run.Task("produce").Reason);
        Assert.Equal("\"step-write\" exited with code 3", run.Task("produce").Message);
        Assert.Contains("[produce/after] skipped", log.Text);
        Assert.True(run.Task("consume").Skipped);
        Assert.Contains("[report/report] aggregate status: Failed; produce: Failed", log.Text);
        Assert.Contains("Failed(StepFailed)", log.Text);
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
    }

    [Fact]
    public async Task A_step_that_hangs_past_its_timeout_fails_the_task_and_leaves_nothing_behind()
    {
        var log = new MemoryLog();

        var run = await new LocalPipelineRunner(log).RunAsync(Options("hang"), CancellationToken.None);

        Assert.False(run.Succeeded);
        Assert.Equal("TaskRunTimeout", run.Task("hang").Reason);
        Assert.Equal("\"step-forever\" exited because the step exceeded the specified timeout limit", run.Task("hang").Message);
        Assert.Contains("[cleanup/note] finally after Failed", log.Text);
        Assert.DoesNotContain("[hang/later] never", log.Text);
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
    }

    [Fact]
    public async Task The_pipeline_timeout_cancels_running_tasks()
    {
        var log = new MemoryLog();

        var run = await new LocalPipelineRunner(log).RunAsync(Options("basic", ("sleep", "60")) with { Timeout = TimeSpan.FromSeconds(8) }, CancellationToken.None);

        Assert.Equal("PipelineRunTimeout", run.Reason);
        Assert.Equal("TaskRunCancelled", run.Task("produce").Reason);
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
    }

    [Fact]
    public async Task Cancelling_the_run_like_Ctrl_C_removes_every_container_and_volume()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(6));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("basic", ("sleep", "60")), cancel.Token));

        Assert.Empty(await LocalRunLeftovers.FindAsync("basic-local-"));
    }

    [Fact]
    public async Task A_tekton_folder_that_does_not_render_is_refused_with_one_message()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("broken"), CancellationToken.None));

        Assert.Contains("does not render", error.Message);
        Assert.Contains("missing-file.yaml", error.Message);
    }

    [Fact]
    public async Task An_unknown_tekton_param_is_refused_before_anything_runs()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("basic", ("wrod", "x")), CancellationToken.None));

        Assert.Equal("--tekton-params names wrod, which the Pipeline does not declare; use one of: fail, sleep, word.", error.Message);
    }

    [Fact]
    public async Task A_missing_docker_engine_is_one_clear_message()
    {
        var options = Options("basic") with { Environment = new Dictionary<string, string?>(Secrets) { ["DOCKER_HOST"] = "unix:///tmp/no-docker-here.sock" } };

        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(options, CancellationToken.None));

        // DockerEngine's message for an unreachable daemon, the same in every target.
        Assert.StartsWith("The Docker daemon is not reachable at DOCKER_HOST=unix:///tmp/no-docker-here.sock (", error.Message);
        Assert.EndsWith("): start Docker (`sudo systemctl start docker`, or `sudo dockerd &`), or set DOCKER_HOST to a running daemon.", error.Message);
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_is_refused_before_any_task_runs()
    {
        var log = new MemoryLog();

        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(log).RunAsync(Options("unpullable"), CancellationToken.None));

        Assert.StartsWith("Image(s) cannot be pulled: registry.invalid/nobody/curl:0.0.1 (task curl, curl):", error.Message);
        Assert.DoesNotContain("TaskRun", log.Text);
        Assert.Empty(await LocalRunLeftovers.FindAsync("unpullable-local-"));
    }
}
