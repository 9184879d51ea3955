using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Workspaces and volumes as Tekton's docs define them (workspaces.md, tasks.md), each from a run file in
/// TektonLocal/testdata on the real engine: the verdict, the reason and what the steps printed.
/// </summary>
public sealed class TektonWorkspaceTests(BusyboxImage image) : IClassFixture<BusyboxImage>
{
    private readonly BusyboxImage _image = image;

    private static string RunFile(string name) => Path.Combine(AppContext.BaseDirectory, "TektonLocal", "testdata", name);

    private static async Task<(LocalPipelineRunResult Run, string Log)> RunAsync(string file)
    {
        var log = new MemoryLog();
        var options = new LocalPipelineRunOptions(Path.Combine(AppContext.BaseDirectory, "TektonLocal", "testdata"), new Dictionary<string, string>())
        {
            RunFile = RunFile(file), Environment = new Dictionary<string, string?>(), RunnerDockerfile = RunFile("no-such-Dockerfile"),
        };
        var run = await new LocalPipelineRunner(log).RunAsync(options, CancellationToken.None);
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
        return (run, log.Text);
    }

    [Fact]
    public async Task Steps_share_the_implicit_workspace_and_read_exit_codes_by_index_and_by_name()
    {
        var (run, log) = await RunAsync("implicit-workspace.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[implicit-workspace/read] read shared by-index=3 by-name=3 var=3", log);
    }

    [Fact]
    public async Task ConfigMap_secret_and_projected_workspaces_and_a_configMap_volume_hold_the_keys_read_only()
    {
        var (run, log) = await RunAsync("config-workspaces.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Contains("[config-workspaces/show] recipe=cocoa secret-length=7 projected=brownies,password, volume=cocoa", log);
        Assert.Contains("[config-workspaces/show] configMap read-only", log);
        Assert.DoesNotContain("hunter2", log);
    }

    [Fact]
    public async Task A_missing_ConfigMap_fails_the_TaskRun_as_CreateContainerConfigError_naming_it()
    {
        var (run, log) = await RunAsync("missing-configmap.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Equal("CreateContainerConfigError", run.Reason);
        Assert.Contains("configmap \"nowhere\" not found", run.Message);
        Assert.DoesNotContain("never ran", log);
    }

    [Fact]
    public async Task A_subPath_is_a_folder_of_the_run_volume_and_an_embedded_taskSpec_gets_the_run_workspace_it_uses()
    {
        var (run, log) = await RunAsync("subpath-propagation.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Contains("[read/read] read one bound=true", log);
    }

    [Fact]
    public async Task A_propagated_value_beats_an_embedded_default_and_context_and_finally_status_variables_are_set()
    {
        var (run, log) = await RunAsync("context-variables.yaml");

        Assert.True(run.Succeeded, log);
        Assert.True(log.Contains("[echo-hello/echo] hello=Hello World!"), log);
        Assert.Contains("[echo-hello/echo] run=context-variables ns=team taskrun=context-variables-echo-hello task=echo-hello retries=0", log);
        Assert.Contains("[echo-hello/echo] uids differ", log);
        Assert.Contains("[report/report] hello=Succeeded fails=FailureIgnored aggregate=Failed", log);
    }

    [Fact]
    public async Task A_subPath_is_a_path_argument_not_shell_text_and_a_symlink_inside_the_volume_is_followed()
    {
        var (run, log) = await RunAsync("subpath-shell-text.yaml");

        Assert.True(run.Succeeded, log);
        Assert.Contains("[read/read] read quoted linked pwned=0", log);
    }

    [Fact]
    public async Task A_subPath_through_a_symlink_out_of_the_volume_is_refused_and_nothing_outside_is_bound()
    {
        var (run, log) = await RunAsync("subpath-symlink-escape.yaml");

        Assert.False(run.Succeeded, log);
        Assert.Contains("subPath \"escape/etc\"", log);
        Assert.Contains("outside the volume", log);
        Assert.DoesNotContain("host files:", log);
    }

    [Theory]
    [InlineData("/etc", "must be a relative path")]
    [InlineData("dir/../../etc", "must not contain '..'")]
    [InlineData("..", "must not contain '..'")]
    public async Task An_absolute_subPath_or_one_with_dot_dot_is_refused_as_Kubernetes_refuses_it(string subPath, string reason)
    {
        // Refused before any engine call: the settings are never read.
        var refusal = await Assert.ThrowsAsync<ContainerConfigException>(() => new RunVolumes().SubPathAsync(null!, "volume", subPath, CancellationToken.None));

        Assert.Contains($"subPath \"{subPath}\" {reason}", refusal.Message);
    }
}
