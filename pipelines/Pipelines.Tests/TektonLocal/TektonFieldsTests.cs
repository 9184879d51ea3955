using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;
using static Pipelines.Tests.TektonLocal.TektonRuntimeTests;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Run files written from Tekton's docs for fields a run file may set beside its tasks: displayName, a PipelineRun's
/// taskRunSpecs, a pod template's volumes and securityContext, and envFrom; each asserts the verdict, the reason and
/// what the steps printed (or, for what Tekton rejects, that nothing started).
/// </summary>
public sealed class TektonFieldsTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    [Fact]
    public async Task A_pipeline_task_displayName_is_substituted_and_shown_beside_its_name_and_a_step_displayName_is_shown_as_written()
    {
        var (run, log) = await RunAsync("display-names.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("(Pipeline display-names \"Greetings, shown\",", log);
        Assert.Contains("[make] TaskRun display-names-make started: \"Make a greeting for world\"; Task \"Greeter\".", log);
        Assert.Contains("[make/say] step \"Say $(params.who)\"", log);
        Assert.Contains("[show/unnamed-0] shown hello-world", log);
        Assert.Equal("Show hello-world", run.Task("show").DisplayName);
        Assert.Equal("Report of display-names: make Succeeded", run.Task("report").DisplayName);
        Assert.Matches(@" NAME\s+TASK NAME\s+DISPLAY NAME\s+DURATION", log);
        Assert.Matches(@" display-names-make\s+make\s+Make a greeting for world\s+\S+\s+Succeeded", log);
        Assert.Matches(@" display-names-report\s+report\s+Report of display-names: make Succeeded\s+\S+\s+Succeeded", log);
    }

    [Fact]
    public async Task TaskRunSpecs_give_one_task_its_pod_template_step_resources_and_a_timeout_that_replaces_its_own()
    {
        var (run, log) = await RunAsync("task-run-specs.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Contains("[plain/show] plain uid 1000 colour teal", log);
        // The entry's securityContext replaces the template's whole; its volumes still come from the template.
        Assert.Contains("[shaped/show] shaped uid 1234 gid 2345 memory 67108864 colour teal", log);
        Assert.Contains("[limited] TaskRun task-run-specs-limited started: timeout 2s (taskRunSpecs).", log);
        Assert.Equal("FailureIgnored", run.Task("limited").Reason);
        Assert.Contains("failed to finish within \"2s\"", run.Task("limited").Message);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task TaskRunSpecs_naming_no_task_or_a_timeout_above_timeouts_tasks_are_refused_before_anything_starts()
    {
        var unknown = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("task-run-specs-unknown.yaml"), CancellationToken.None));
        var tooLong = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options("task-run-specs-timeout.yaml"), CancellationToken.None));

        Assert.Contains("pipelineRun's taskrunSpecs defined wrong taskName: \"bulid\", does not exist in Pipeline (InvalidTaskRunSpecs); use one of: build", unknown.Message);
        Assert.Contains("1m30s should be <= pipeline tasks duration 1m0s: spec.taskRunSpecs[0].timeout", tooLong.Message);
        Assert.Empty(await LocalRunLeftovers.FindAsync("task-run-specs-unknown"));
    }

    [Fact]
    public async Task A_stepSpecs_entry_naming_no_step_fails_the_TaskRun_validation()
    {
        var (run, log) = await RunAsync("step-specs-unknown.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("TaskRunValidationFailed", run.Task("build").Reason);
        Assert.Equal("invalid StepOverride: No Step named compile", run.Task("build").Message);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task A_TaskRun_podTemplate_brings_volumes_its_steps_mount_and_the_user_they_run_as()
    {
        var (run, log) = await RunAsync("pod-template.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Contains("[pod-template/read] read as 1001:3000: written by 0 token-length 16", log);
        Assert.Contains("[pod-template/other] other as 2000:3000", log);
        Assert.DoesNotContain("s3cr3t-pod-token", log);
    }

    [Fact]
    public async Task RunAsNonRoot_with_an_image_that_runs_as_root_fails_as_CreateContainerConfigError()
    {
        var (run, log) = await RunAsync("run-as-non-root.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("CreateContainerConfigError", run.Reason);
        Assert.Contains("container has runAsNonRoot and image will run as root", run.Message);
        Assert.DoesNotContain("never printed", log);
    }

    [Fact]
    public async Task EnvFrom_brings_every_key_of_a_ConfigMap_or_a_Secret_with_the_Secret_values_masked_and_a_step_list_replaces_the_template_list()
    {
        var (run, log) = await RunAsync("env-from.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Contains("[env-from/paint] colour teal finish gloss", log);
        // A step's own envFrom replaces the stepTemplate's (a list Kubernetes' strategic merge does not merge).
        Assert.Contains($"[env-from/login] user {SecretMasker.Mask} password-length 17 colour unset", log);
        Assert.Contains($"[env-from/login] password {SecretMasker.Mask}", log);
        Assert.DoesNotContain("w0rd-env-from", log);
    }

    [Fact]
    public async Task EnvFrom_a_missing_Secret_that_is_not_optional_fails_as_CreateContainerConfigError()
    {
        var (run, log) = await RunAsync("env-from-missing.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("CreateContainerConfigError", run.Reason);
        Assert.Contains("secret \"nowhere\" not found", run.Message);
        Assert.DoesNotContain("never printed", log);
    }
}
