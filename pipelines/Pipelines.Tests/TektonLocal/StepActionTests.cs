using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;
using static Pipelines.Tests.TektonLocal.TektonRuntimeTests;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// StepActions (stepactions.md), each run file written from the docs and run on the real engine with the local busybox
/// image: the verdict, the reason, what the steps printed, and that nothing is left behind; and the refusals.
/// </summary>
public sealed class StepActionTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    [Fact]
    public async Task A_referenced_StepAction_reads_the_step_s_params_with_its_own_defaults_and_the_step_keeps_onError()
    {
        var (run, log) = await RunAsync("stepaction-params.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("StepFailed", run.Reason);
        Assert.Equal("\"step-second\" exited with code 3", run.Message);
        // The Task's param reached the step's value; the object's missing key and the mark came from the StepAction's defaults.
        Assert.Contains("[stepaction-params/first] hello step-task-who from lisbon, atlantis! words: one two; template: template-env", log);
        Assert.Contains("onError: continue, so the task goes on", log);
        // The second step gives only who: the array and the object are the StepAction's defaults, not the first step's values.
        Assert.Contains("[stepaction-params/second] hello second from nowhere, atlantis! words: unused; template: template-env", log);
    }

    [Fact]
    public async Task Step_results_pass_to_later_steps_and_become_task_results_that_the_next_pipeline_task_reads()
    {
        var (run, log) = await RunAsync("stepaction-results.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[build/make] wrote /tekton/steps/step-make/results/version", log);
        Assert.Contains("[build/describe] another step's results are read-only", log);
        Assert.Contains("[build/show] version 1.2.3, first tag latest, all: latest stable image registry.local/app@sha256:abc", log);
        Assert.Equal("1.2.3", run.Task("build").Results["version"]);
        Assert.Equal("[\"latest\",\"stable\"]", run.Task("build").Results["tags"]);
        Assert.Contains("[publish/print] publishing 1.2.3 as latest stable", log);
        Assert.Equal("1.2.3", run.Results["released"]);
    }

    [Fact]
    public async Task A_StepAction_that_cannot_be_resolved_fails_its_TaskRun_before_any_step_runs()
    {
        var (run, log) = await RunAsync("stepaction-unresolved.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("Failed", run.Reason);
        Assert.Equal("TaskRunResolutionFailed", run.Task("missing-action").Reason);
        Assert.Equal("failed to resolve step ref for step \"run\" (index 0): stepactions.tekton.dev \"not-defined-anywhere\" not found", run.Task("missing-action").Message);
        Assert.Equal("TaskRunResolutionFailed", run.Task("missing-param").Reason);
        Assert.Equal("failed to resolve step ref for step \"run\" (index 0): non-existent params in Step: [input]", run.Task("missing-param").Message);
        Assert.True(run.Task("later").Skipped, log);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task A_StepAction_in_the_resources_folder_is_found_as_the_Tasks_there_are()
    {
        var log = new MemoryLog();
        var options = Options("stepaction-from-resources.yaml") with { ResourcesFolder = RunFile("stepaction-resources") };

        var run = await new LocalPipelineRunner(log).RunAsync(options, CancellationToken.None);

        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
        Assert.True(run.Succeeded, log.Text);
        Assert.Contains("[stepaction-from-resources/echo] shared: from the resources folder", log.Text);
    }

    [Fact]
    public async Task A_remote_StepAction_is_refused_naming_the_resolver_field_before_anything_starts()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("stepaction-resolver.yaml"), CancellationToken.None));

        var file = RunFile("stepaction-resolver.yaml");
        Assert.Contains("nothing was started", error.Message);
        Assert.Contains($"{file}:12:9 spec.taskSpec.steps[0].ref.resolver", error.Message);
        Assert.Contains($"{file}:13:9 spec.taskSpec.steps[0].ref.params", error.Message);
        Assert.Empty(await LocalRunLeftovers.FindAsync("stepaction-resolver"));
    }

    [Fact]
    public void This_build_s_generated_tekton_files_pass_the_step_validation()
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "tekton");
        var problems = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => StepActions.FindInvalid(File.ReadAllText(f), f)).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_step_with_both_ref_and_its_own_container_is_refused_as_Tekton_s_validation_does()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("stepaction-invalid.yaml"), CancellationToken.None));

        var file = RunFile("stepaction-invalid.yaml");
        Assert.Contains("nothing was started", error.Message);
        Assert.Contains($"{file}:12:10 spec.args[0]: non-existent variable in \"$(params.unknown)\"", error.Message);
        Assert.Contains($"{file}:13:11 spec.script: param substitution in scripts is not allowed.", error.Message);
        Assert.Contains($"{file}:25:7 spec.taskSpec.steps[0].image: image cannot be used with Ref", error.Message);
        Assert.Contains($"{file}:26:7 spec.taskSpec.steps[0].script: script cannot be used with Ref", error.Message);
        Assert.Contains($"{file}:29:7 spec.taskSpec.steps[1].params: params cannot be used without Ref", error.Message);
        Assert.Contains("5 step field(s)", error.Message);
        Assert.Empty(await LocalRunLeftovers.FindAsync("stepaction-invalid"));
    }
}
