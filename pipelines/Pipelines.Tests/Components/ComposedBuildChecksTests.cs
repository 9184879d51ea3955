using Pipelines.Components;
using Pipelines.Generators;
using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Components;

/// <summary>
/// A build that composes components without deriving from GitOpsBuild gets their checks before the first target, all
/// problems together: the --notify webhooks (INotify) and the committed CI files (IGenerate).
/// </summary>
public sealed class ComposedBuildChecksTests : IDisposable
{
    private sealed class NotifyingBuild : PipelineBuild, INotify, IGenerate
    {
        string IServices.Name => "composed";
        IReadOnlyList<Service> IServices.Services => [new("hello")];
        // One workflow that announces a failure: the files Generate writes from it are not committed in the harness's root.
        CiConfiguration IGenerate.Ci => new("composed") { GitHubWorkflows = [new GitHubWorkflow("main") { PushBranches = ["main"], Targets = ["NotifyFailure"] }] };
    }

    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_bad_webhook_and_missing_CI_files_stop_a_composed_build_before_its_first_target()
    {
        var output = new StringWriter();
        var host = new GitHubActionsHost(output, new Dictionary<string, string>());

        var exit = await _harness.RunAsync(new NotifyingBuild(), host, "NotifyFailure", "NotifyFailure", "--failed-target", "Test", "--notify", "not-a-url");

        var text = output + _harness.Text;
        Assert.True(exit == BuildRunner.UsageError, text);
        Assert.Contains("--notify: value #1 is not an http(s) URL", text);
        Assert.Contains("run ./build.sh Generate and commit", text);
        Assert.False(File.Exists(new WorkspaceLayout(_harness.Root).StateFile), "NotifyFailure ran and recorded its state");
    }

    [Fact]
    public async Task A_composed_build_with_a_good_webhook_runs_its_target()
    {
        var exit = await _harness.RunAsync(new NotifyingBuild(), "NotifyFailure", "NotifyFailure", "--failed-target", "Test", "--notify", "http://127.0.0.1:9/hook");

        Assert.True(exit == 0, _harness.Text);
        Assert.DoesNotContain("--notify: value", _harness.Text);
    }
}
