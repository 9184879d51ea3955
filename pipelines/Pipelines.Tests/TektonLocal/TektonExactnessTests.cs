using System.Text.RegularExpressions;
using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Run files written from Tekton's docs for what the local runner must do exactly as Tekton does: Pipeline-level
/// workspace variables, bare array references, sidecar startup probes, onError from a param, the steps' /tekton/run
/// folders and a run file that does not parse. Each asserts the verdict, the reason and what the steps printed, on the
/// real engine, and that nothing was left behind.
/// </summary>
public sealed partial class TektonExactnessTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    [Fact]
    public async Task Workspaces_bound_is_substituted_in_pipeline_task_params_and_when_expressions()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("workspace-bound-pipeline.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Completed", run.Reason);
        Assert.Contains("[report/show] given=true spare=false", log);
        Assert.Equal("When Expressions evaluated to false", run.Task("needs-spare").Reason);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task A_bare_array_reference_alone_in_args_or_a_param_value_stands_for_every_item()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("bare-array-reference.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[count/bare] bare count=3 second=two words", log);
        Assert.Contains("[count/star] star count=3 last=three", log);
    }

    [Fact]
    public async Task A_sidecar_startupProbe_holds_the_steps_and_a_sidecar_that_ends_cannot_start_or_fails_startup_does_not()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("sidecar-startup-probe.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[sidecar-startup-probe/use] started by the slow sidecar", log);
        var step = log.IndexOf("[sidecar-startup-probe/use]", StringComparison.Ordinal);
        foreach (var said in new[]
                 {
                     "sidecar-slow passed its startupProbe and is ready",
                     "sidecar-quits ended before it was ready",
                     "sidecar sidecar-broken could not start",
                     "sidecar-never-starts failed its startupProbe 2 time(s) in a row",
                 })
            Assert.True(log.IndexOf(said, StringComparison.Ordinal) is var at && at >= 0 && at < step, $"{said}\n{log}");
    }

    [Fact]
    public async Task OnError_from_a_param_continues_and_an_invalid_value_fails_the_TaskRun_as_Tekton_does()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("on-error-param.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("Failed", run.Reason);
        Assert.Equal("Succeeded", run.Task("good").Reason);
        Assert.Contains("[good/after] went on after exit 1", log);
        Assert.Equal("PodCreationFailed", run.Task("bad").Reason);
        Assert.Equal(
            "failed to create task run pod \"on-error-param-bad\": invalid value: \"ignore\": steps[0].onError\n"
            + "Task step onError must be either \"continue\" or \"stopAndFail\". Maybe invalid TaskSpec", run.Task("bad").Message);
        Assert.DoesNotContain("[bad/", log);
    }

    [Fact]
    public async Task A_step_writes_its_own_run_folder_and_reads_but_cannot_write_another_s()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("run-dirs.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[run-dirs/first] first wrote its own", log);
        Assert.Contains("[run-dirs/second] first's folder is read-only", log);
        Assert.Contains("[run-dirs/second] second wrote its own, read mine", log);
        Assert.Contains("[run-dirs/second] run folders: 0 1 ", log);
    }

    [Fact]
    public async Task Workspaces_claim_names_the_claim_or_the_generated_one_and_is_empty_for_other_volumes()
    {
        var (run, log) = await TektonRuntimeTests.RunAsync("workspace-claim.yaml");

        Assert.True(run.Succeeded, log);
        var printed = ShowLine().Match(log);
        Assert.True(printed.Success, log);
        Assert.Equal("kept-claim", printed.Groups["kept"].Value);
        Assert.Equal("", printed.Groups["scratch"].Value);
        // volumeclaim/pvchandler.go: "pvc" (the template has no name), then sha256(binding name + owner uid)[:10].
        Assert.Equal(RunVolumes.TemplateClaimName(null, "fresh", printed.Groups["uid"].Value), printed.Groups["fresh"].Value);
        Assert.Matches("^pvc-[0-9a-f]{10}$", printed.Groups["fresh"].Value);
    }

    [Fact]
    public async Task A_run_file_that_does_not_parse_is_refused_and_leaves_no_container_network_or_volume()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new LocalPipelineRunner(new MemoryLog()).RunAsync(TektonRuntimeTests.Options("unparsable.yaml"), CancellationToken.None));

        Assert.Contains($"{TektonRuntimeTests.RunFile("unparsable.yaml")} is not valid YAML", error.Message);
        // LocalRunLeftovers asks `docker ps -a`, `docker volume ls` and `docker network ls` for the run's label.
        Assert.Empty(await LocalRunLeftovers.FindAsync("unparsable"));
    }

    [GeneratedRegex(@"\[show/show\] kept=(?<kept>\S*) fresh=(?<fresh>\S*) scratch=\[(?<scratch>[^\]]*)\] uid=(?<uid>\S+)")]
    private static partial Regex ShowLine();
}
