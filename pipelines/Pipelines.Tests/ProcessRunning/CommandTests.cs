using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.ProcessRunning;

public class CommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("command");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task I_can_run_a_process_and_get_its_exit_code_and_output()
    {
        var result = await new Command("sh").WithArguments("-c", "echo out; echo err >&2; exit 3").ExecuteAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Arguments_reach_the_process_exactly_as_given()
    {
        string[] arguments = ["with space", "quote\"d", "it's", "$HOME", "a;b|c", ""];

        var result = await new Command("printf").WithArguments(["%s\\n", .. arguments]).ExecuteAsync();

        Assert.Equal(string.Join("\n", arguments) + "\n", result.StandardOutput);
    }

    [Fact]
    public async Task Output_lines_stream_to_the_log_with_secrets_masked_by_the_host()
    {
        var output = new StringWriter();
        var host = new TerminalHost(output, new Dictionary<string, string>(), interactive: false);
        host.AddSecret("pa55w0rd!");

        await new Command("sh").WithArguments("-c", "echo one; echo 'token pa55w0rd!'; echo three").ExecuteAsync(host);

        Assert.Equal("one\ntoken ***\nthree\n", output.ToString().Replace("\r", ""));
    }

    [Fact]
    public async Task Quiet_commands_log_only_at_debug_level()
    {
        var log = new MemoryLog();

        await new Command("echo").WithArguments("hello").WithOutput(OutputMode.Quiet).ExecuteAsync(log);

        Assert.Equal([(LogLevel.Debug, "hello")], log.Lines);
    }

    [Fact]
    public async Task The_environment_can_be_set_and_inherited_variables_removed()
    {
        Environment.SetEnvironmentVariable("PIPELINES_TEST_INHERITED", "yes");

        var result = await new Command("sh")
            .WithArguments("-c", "echo \"${PIPELINES_TEST_INHERITED:-gone} $EXTRA\"")
            .WithEnvironment("PIPELINES_TEST_INHERITED", null)
            .WithEnvironment("EXTRA", "added")
            .ExecuteAsync();

        Assert.Equal("gone added\n", result.StandardOutput);
    }

    [Fact]
    public async Task Standard_input_is_written_then_closed()
    {
        var result = await new Command("cat").WithStandardInput("from stdin").ExecuteAsync();

        Assert.Equal("from stdin\n", result.StandardOutput);
    }

    [Fact]
    public async Task The_working_directory_is_honoured()
    {
        var result = await new Command("pwd").WithWorkingDirectory(_temp.Path).ExecuteAsync();

        Assert.Equal(_temp.Path, result.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_missing_executable_says_how_to_get_it()
    {
        var error = await Assert.ThrowsAsync<ToolNotFoundException>(() =>
            new Command("trivy-does-not-exist").WithMissingHint("install it or pass --trivy-path").ExecuteAsync());

        Assert.Equal("`trivy-does-not-exist` is not installed: install it or pass --trivy-path", error.Message);
    }

    [Fact]
    public async Task A_process_that_outlives_its_timeout_is_stopped_with_its_children()
    {
        var marker = _temp.Combine("child.pid");
        var command = new Command("sh")
            .WithArguments("-c", $"sleep 300 & echo $! > '{marker}'; wait")
            .WithTimeout(TimeSpan.FromSeconds(2))
            .WithGracePeriod(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<CommandTimeoutException>(() => command.ExecuteAsync());

        Assert.Contains("did not finish within 2s", error.Message);
        var child = int.Parse(File.ReadAllText(marker).Trim());
        await WaitUntilGone(child);
    }

    [Fact]
    public async Task A_process_gets_SIGTERM_first_so_it_can_clean_up()
    {
        var marker = _temp.Combine("cleaned");
        var command = new Command("sh")
            .WithArguments("-c", $"trap 'echo done > \"{marker}\"; exit 0' TERM; while true; do sleep 0.05; done")
            .WithTimeout(TimeSpan.FromSeconds(2))
            .WithGracePeriod(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<CommandTimeoutException>(() => command.ExecuteAsync());

        Assert.True(File.Exists(marker), "the trap for SIGTERM did not run");
    }

    [Fact]
    public async Task I_can_cancel_a_running_process()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new Command("sleep").WithArguments("300").WithGracePeriod(TimeSpan.FromMilliseconds(200)).ExecuteAsync(null, cancellation.Token));
    }

    [Fact]
    public async Task Ensure_success_names_the_tool_the_exit_code_and_the_last_error_lines()
    {
        var result = await new Command("sh").WithArguments("-c", "echo 'fatal: not a git repository' >&2; exit 128").ExecuteAsync();

        var error = Assert.Throws<CommandFailedException>(() => result.EnsureSuccess());

        Assert.Equal("`sh` exited with code 128: fatal: not a git repository", error.Message);
    }

    [Fact]
    public void A_command_is_immutable_and_prints_as_a_person_would_type_it()
    {
        var original = new Command("git").WithArguments("commit", "-m", "a message");
        var changed = original.AddArguments("--amend");

        Assert.Equal("git commit -m 'a message'", original.ToString());
        Assert.Equal("git commit -m 'a message' --amend", changed.ToString());
    }

    [Fact]
    public async Task A_process_that_cannot_start_says_so_with_the_tool_name()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new Command("pwd").WithWorkingDirectory(_temp.Combine("missing")).ExecuteAsync());

        Assert.StartsWith("`pwd` could not be started", error.Message);
    }

    [Fact]
    public async Task A_background_process_keeps_its_last_lines_and_gets_SIGTERM_with_its_children_when_disposed()
    {
        var marker = _temp.Combine("cleaned");
        var childPid = _temp.Combine("child.pid");
        var background = BackgroundProcess.Start(new Command("sh")
            .WithArguments("-c", $"trap 'echo done > \"{marker}\"; exit 0' TERM; sleep 300 & echo $! > '{childPid}'; echo ready; while true; do sleep 0.05; done")
            .WithGracePeriod(TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 100 && !background.RecentOutput.Contains("ready"); i++) await Task.Delay(50);

        Assert.False(background.HasExited);
        await background.DisposeAsync();

        Assert.True(background.HasExited);
        Assert.StartsWith("ready", background.RecentOutput);
        Assert.True(File.Exists(marker), "the trap for SIGTERM did not run");
        await WaitUntilGone(int.Parse(File.ReadAllText(childPid).Trim()));
    }

    private static async Task WaitUntilGone(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            if (!Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z") return;
            await Task.Delay(50);
        }
        Assert.Fail($"process {pid} is still running");
    }
}
