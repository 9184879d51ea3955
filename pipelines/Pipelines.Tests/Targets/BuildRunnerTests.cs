using Pipelines.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Targets;

public class BuildRunnerTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Targets_run_in_plan_order_and_the_build_succeeds()
    {
        var build = new TestBuild();

        var exit = await _harness.RunAsync(build, "Deploy", "--registry-password", "hunter22");

        Assert.Equal(BuildRunner.Success, exit);
        Assert.Equal(["Test", "Containerize", "Scan", "Sign", "Deploy"], build.Ran);
    }

    [Fact]
    public async Task Plan_prints_the_order_and_runs_nothing()
    {
        var build = new TestBuild();

        var exit = await _harness.RunAsync(build, "Deploy", "--plan", "--skip", "Test");

        Assert.Equal(0, exit);
        Assert.Empty(build.Ran);
        Assert.Contains("1. Test (skipped: --skip Test)", _harness.Text);
        Assert.Contains("5. Deploy", _harness.Text);
    }

    [Fact]
    public async Task Only_when_skips_the_target_and_shows_the_condition_as_the_reason()
    {
        var build = new TestBuild();

        var exit = await _harness.RunAsync(build, "Deploy", "Scan", "--push", "false");

        Assert.Equal(0, exit);
        Assert.Equal(["Test", "Containerize"], build.Ran);
        Assert.Contains("skipped (Push is false)", _harness.Text);
    }

    [Fact]
    public async Task Requires_fails_before_any_target_runs()
    {
        var build = new TestBuild();

        var exit = await _harness.RunAsync(build, "Deploy");

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Empty(build.Ran);
        Assert.Contains("Sign requires --registry-password (or the environment variable PIPELINE_REGISTRY_PASSWORD)", _harness.Text);
    }

    [Fact]
    public async Task Requires_of_a_skipped_target_is_not_checked()
    {
        var build = new TestBuild();

        var exit = await _harness.RunAsync(build, "Deploy", "Deploy", "--skip", "Sign");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("Sign", build.Ran);
    }

    [Fact]
    public async Task A_failing_target_stops_its_dependents_and_the_build_exits_non_zero()
    {
        var build = new TestBuild();

        var exit = await _harness.RunAsync(build, "Deploy", "Deploy", "Lint", "--fail-in", "Containerize", "--registry-password", "x-secret");

        Assert.Equal(BuildRunner.Failure, exit);
        Assert.Equal(["Test", "Containerize", "Lint"], build.Ran);
        Assert.Contains("Containerize failed: Containerize was told to fail.", _harness.Text);
        Assert.Matches(@"Scan\s+not run", _harness.Text);
        Assert.Matches(@"Deploy\s+not run", _harness.Text);
        Assert.Matches(@"Lint\s+succeeded", _harness.Text);
        Assert.DoesNotContain("   at ", _harness.Text); // no stack trace without --verbose
    }

    [Fact]
    public async Task Verbose_shows_the_stack_trace_of_an_unexpected_failure()
    {
        var build = new ThrowingBuild();

        var exit = await _harness.RunAsync(build, "Boom", "--verbose");

        Assert.Equal(BuildRunner.Failure, exit);
        Assert.Contains("InvalidOperationException: kaboom", _harness.Text);
        Assert.Contains(" at ", _harness.Text);
    }

    [Fact]
    public async Task Skip_with_no_names_runs_exactly_the_named_target_and_reads_earlier_outputs_from_the_state()
    {
        await _harness.RunAsync(new TestBuild(), "Deploy", "Containerize");
        var build = new TestBuild();

        var exit = await _harness.RunAsync(build, "Deploy", "Scan", "--skip");

        Assert.Equal(0, exit);
        Assert.Equal(["Scan"], build.Ran);
        Assert.Equal("127.0.0.1:5000/app:1", build.State.Get("IMAGE_URL"));
    }

    [Fact]
    public async Task The_summary_lists_every_target_with_status_and_notes()
    {
        var exit = await _harness.RunAsync(new TestBuild(), "Deploy", "Scan", "Lint", "--skip", "Test");

        Assert.Equal(0, exit);
        Assert.Matches(@"Test\s+skipped \(--skip Test\)", _harness.Text);
        Assert.Matches(@"Containerize\s+succeeded\s+< 1s\s+Digest: sha256:aaaa", _harness.Text);
        Assert.Matches(@"Total\s+succeeded", _harness.Text);
    }

    [Fact]
    public async Task Cancellation_stops_the_running_target_through_its_token()
    {
        using var cancellation = new CancellationTokenSource();
        var build = new TestBuild { RootDirectory = _harness.Root };
        var runner = new BuildRunner(build, "Wait", _harness.Output, _harness.Error, _harness.Environment);

        var run = runner.RunAsync(["Wait"], cancellation.Token);
        while (!build.Ran.Contains("Wait")) await Task.Delay(10);
        cancellation.Cancel();

        Assert.Equal(BuildRunner.Cancelled, await run);
        Assert.Matches(@"Wait\s+failed", _harness.Text);
    }

    [Fact]
    public async Task An_unknown_parameter_is_reported_with_a_suggestion()
    {
        var exit = await _harness.RunAsync(new TestBuild(), "Deploy", "--registyr", "x");

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("Unknown parameter '--registyr'. Did you mean '--registry'?", _harness.Text);
    }

    [Fact]
    public async Task An_unknown_target_is_reported_with_a_suggestion()
    {
        var exit = await _harness.RunAsync(new TestBuild(), "Deploy", "Contanerize");

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("Did you mean 'Containerize'?", _harness.Text);
    }

    [Fact]
    public async Task Help_lists_targets_and_parameters_with_their_environment_names()
    {
        var exit = await _harness.RunAsync(new TestBuild(), "Deploy", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Deploy (default)", _harness.Text);
        Assert.Contains("--registry-password <string>  [env PIPELINE_REGISTRY_PASSWORD]  secret", _harness.Text);
        Assert.Contains("--scan-timeout <duration>  [env PIPELINE_SCAN_TIMEOUT]  default: 5m", _harness.Text);
    }

    [Fact]
    public async Task Outputs_published_by_a_target_reach_the_state_file()
    {
        await _harness.RunAsync(new TestBuild(), "Deploy", "Containerize");

        var state = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile);
        Assert.Equal("sha256:" + new string('a', 64), state.Get("IMAGE_DIGEST"));
    }

    [Fact]
    public async Task A_secret_never_reaches_the_log_or_the_state_file()
    {
        const string secret = "s3cr3t-Pa55word";
        _harness.Environment["PIPELINE_REGISTRY_PASSWORD"] = secret;

        var exit = await _harness.RunAsync(new TestBuild(), "Deploy", "Containerize", "--say", $"logging in with {secret}", "--registry", $"user:{secret}@host");

        Assert.Equal(0, exit);
        Assert.DoesNotContain(secret, _harness.Text);
        Assert.Contains("logging in with ***", _harness.Text);
        var stateText = File.ReadAllText(new WorkspaceLayout(_harness.Root).StateFile);
        Assert.DoesNotContain(secret, stateText);
        Assert.Contains("user:***@host/app:1", stateText);
    }

    private sealed class ThrowingBuild : PipelineBuild
    {
        public Target Boom => _ => _.Executes(() => throw new InvalidOperationException("kaboom"));
    }
}
