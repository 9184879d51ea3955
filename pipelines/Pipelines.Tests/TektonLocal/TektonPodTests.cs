using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Run files written from Tekton's docs for a TaskRun's pod: sidecar readiness waited for before the steps, a sidecar
/// that never gets ready, a step the engine cannot start, and a Ctrl-C; each leaves no container, volume or network.
/// </summary>
public sealed class TektonPodTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    [Fact]
    public async Task Steps_start_once_every_sidecar_readinessProbe_passes()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("sidecars.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[sidecars/use] web is up", log);
        Assert.Contains("[sidecars/use] socket is up", log);
        Assert.Contains("[sidecars/use] steps started after the sidecars", log);
        foreach (var sidecar in new[] { "web", "socket", "file" })
            Assert.True(log.IndexOf($"sidecar-{sidecar} is ready", StringComparison.Ordinal) is var ready && ready >= 0 && ready < log.IndexOf("[sidecars/use]", StringComparison.Ordinal), log);
    }

    [Fact]
    public async Task A_sidecar_is_ready_after_successThreshold_consecutive_successes_and_a_failure_neither_kills_it_nor_counts()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("sidecar-success-threshold.yaml");

        Assert.True(run.Succeeded, log);
        // Probe 1 succeeds, probe 2 fails (the streak restarts, failureThreshold 1 does not stop the sidecar), 3–5 succeed.
        Assert.Contains("[sidecar-success-threshold/count] probes=5", log);
        Assert.Contains("sidecar-counted is ready", log);
    }

    [Fact]
    public async Task A_sidecar_that_never_gets_ready_holds_the_steps_until_the_TaskRun_times_out()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("sidecar-never-ready.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("TaskRunTimeout", run.Reason);
        Assert.Contains("sidecar-stuck is not ready yet", log);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task A_step_the_engine_cannot_start_fails_that_step_and_later_steps_do_not_run()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("step-start-failure.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("StepFailed", run.Reason);
        Assert.Equal("\"step-missing\" exited with code 1", run.Message);
        Assert.Contains("[step-start-failure/first] first ran", log);
        Assert.Contains("[step-start-failure/missing] could not start:", log);
        Assert.Contains("/no/such/binary", log);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task A_host_folder_reaches_every_step_at_its_path_read_only_with_its_modes()
    {
        using var tools = new TempDirectory("host-tools");
        File.WriteAllText(tools.Combine("hello"), "#!/bin/sh\necho \"stand-in tool ran $1\"\n");
        File.SetUnixFileMode(tools.Combine("hello"), (UnixFileMode)0b111_101_101);
        var log = new MemoryLog();

        var run = await new LocalPipelineRunner(log).RunAsync(
            TektonRuntimeTests.Options("host-paths.yaml") with { HostPaths = [tools.Path], Overrides = new Dictionary<string, string> { ["tools"] = tools.Path } },
            CancellationToken.None);

        Assert.True(run.Succeeded, log.Text);
        Assert.Contains("[use/run] stand-in tool ran from-step", log.Text);
        Assert.Contains("[use/run] tools are read-only", log.Text);
        Assert.False(File.Exists(tools.Combine("written")));
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
    }

    [Fact]
    public async Task Ctrl_C_ends_the_run_as_Cancelled_and_leaves_no_container_volume_or_network()
    {
        using var cancel = new CancellationTokenSource();
        var log = new CancellingLog("slow started", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LocalPipelineRunner(log).RunAsync(TektonRuntimeTests.Options("cancel.yaml"), cancel.Token));

        Assert.Contains("Cancelled", log.Text);
        Assert.Contains("PipelineRun \"cancel\" was cancelled", log.Text);
        Assert.Matches(@" cancel-slow\s+slow\s+\S+\s+Cancelled\(TaskRunCancelled\)", log.Text);
        Assert.DoesNotContain("never printed", log.Text);
        Assert.Empty(await LocalRunLeftovers.FindAsync("cancel"));
    }

    /// <summary>A log that presses Ctrl-C (cancels) once a step printed the given text.</summary>
    internal sealed class CancellingLog(string trigger, CancellationTokenSource cancel) : ILog
    {
        private readonly MemoryLog _inner = new();

        public string Text => _inner.Text;

        public void Write(LogLevel level, string message)
        {
            _inner.Write(level, message);
            if (message.Contains(trigger, StringComparison.Ordinal)) cancel.Cancel();
        }
    }
}
