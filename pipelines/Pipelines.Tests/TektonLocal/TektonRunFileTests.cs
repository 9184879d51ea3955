using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;
using static Pipelines.Tests.TektonLocal.TektonRuntimeTests;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Run files written from Tekton's and Kubernetes' docs: a file of several runs (as <c>kubectl create -f</c> takes),
/// emptyDir volumes a non-root step writes, a pod-template volume named like a Task volume, and the display names of
/// matrixed TaskRuns; each asserts the verdict, the reason and what the steps printed.
/// </summary>
public sealed class TektonRunFileTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    [Fact]
    public async Task Every_run_of_a_file_runs_in_file_order_with_its_own_verdict_and_table()
    {
        var log = new MemoryLog();

        var runs = await new LocalPipelineRunner(log).RunAllAsync(Options("multi-runs.yaml"), CancellationToken.None);

        Assert.Equal(3, runs.Count);
        Assert.Equal("multi-first", runs[0].Name);
        Assert.True(runs[0].Succeeded, log.Text);
        Assert.Equal("multi-second", runs[1].Name);
        Assert.Equal("Failed", runs[1].Reason);
        Assert.Equal("StepFailed", runs[1].Task("break").Reason);
        Assert.StartsWith("multi-third-", runs[2].Name);
        Assert.True(runs[2].Succeeded, log.Text);
        Assert.Contains("multi-runs.yaml holds 3 runs (multi-first, multi-second, multi-third-", log.Text);
        Assert.Contains("they run one after another, in file order", log.Text);
        var text = log.Text;
        var order = new[] { "first run says hi", "TaskRun multi-first: Succeeded.", "second run fails", "PipelineRun multi-second: Failed: Tasks Completed: 1 (Failed: 1",
            "third run says last", $"PipelineRun {runs[2].Name}: Succeeded." }.Select(t => text.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        foreach (var run in runs)
        {
            Assert.Contains($"Name:           {run.Name}", text);
            Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
        }
    }

    [Fact]
    public async Task Ctrl_C_during_the_first_run_of_a_file_cancels_it_and_starts_no_other()
    {
        using var cancel = new CancellationTokenSource();
        var log = new TektonPodTests.CancellingLog("first started", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LocalPipelineRunner(log).RunAllAsync(Options("multi-cancel.yaml"), cancel.Token));

        Assert.Contains("TaskRun multi-cancel-first: Cancelled", log.Text);
        Assert.DoesNotContain("multi-cancel-second started", log.Text);
        Assert.DoesNotContain("never printed", log.Text);
        Assert.Empty(await LocalRunLeftovers.FindAsync("multi-cancel"));
    }

    [Fact]
    public async Task A_file_naming_one_run_twice_is_refused_before_anything_starts()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "twice.yaml");
        var run = await File.ReadAllTextAsync(RunFile("duplicate-volume.yaml"));
        await File.WriteAllTextAsync(file, $"{run}\n---\n{run}");

        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAllAsync(Options("duplicate-volume.yaml") with { RunFile = file }, CancellationToken.None));

        Assert.Contains("names TaskRun duplicate-volume more than once (a cluster would refuse the later one: AlreadyExists)", error.Message);
        Assert.Empty(await LocalRunLeftovers.FindAsync("duplicate-volume"));
    }

    [Fact]
    public async Task A_non_root_step_writes_every_emptyDir_which_is_world_writable()
    {
        var (run, log) = await RunAsync("emptydir-non-root.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Contains("/scratch mode 777 note by 1001", log);
        Assert.Contains("/cache mode 777 note by 1001", log);
        Assert.Contains("/workspace/shared mode 777 note by 1001", log);
        Assert.Contains("/workspace mode 777 note by 1001", log);
    }

    [Fact]
    public async Task A_pod_template_volume_named_like_a_Task_volume_fails_the_TaskRun_as_PodCreationFailed()
    {
        var (run, log) = await RunAsync("duplicate-volume.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("PodCreationFailed", run.Task("duplicate-volume").Reason);
        Assert.Equal("failed to create task run pod \"duplicate-volume\": translating TaskSpec to Pod: multiple volumes with same name \"cache\". Maybe invalid TaskSpec",
            run.Task("duplicate-volume").Message);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task Matrixed_TaskRuns_show_their_displayName_resolved_with_their_params_or_the_name_of_the_include_they_match()
    {
        var (run, log) = await RunAsync("matrix-display-names.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal(["Check linux with chrome", "Check mac with chrome"], run.Task("check").Fanned.Select(t => t.DisplayName));
        Assert.Equal(["Linux build: linux", "Build for windows"], run.Task("build").Fanned.Select(t => t.DisplayName));
        Assert.Contains("checked mac chrome", log);
        Assert.Contains("[build] TaskRun matrix-display-build-0 started: \"Linux build: linux\".", log);
        Assert.Matches(@" matrix-display-check-1\s+check\s+Check mac with chrome\s+\S+\s+Succeeded", log);
        Assert.Matches(@" matrix-display-build-1\s+build\s+Build for windows\s+\S+\s+Succeeded", log);
    }
}
