using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Linkcheck.Tests;

/// <summary>The built program as Kubernetes runs it: environment variables in, JSON lines out, SIGTERM to stop.</summary>
public sealed class ProcessTests : IAsyncLifetime
{
    private readonly List<Process> _started = [];
    private LocalSite _site = null!;

    public async Task InitializeAsync() => _site = await LocalSite.StartAsync();

    public async Task DisposeAsync()
    {
        // A failed test must not leave its program running.
        foreach (var process in _started)
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
        }
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task The_program_checks_until_SIGTERM_then_logs_stopped_and_exits_0()
    {
        var process = Start(("LINKCHECK_URLS", $"{_site["ok"]},{_site["missing"]}"), ("LINKCHECK_INTERVAL_SECONDS", "1"));
        var lines = new List<string>();
        var firstRound = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.Contains("\"event\":\"round\"")) firstRound.TrySetResult();
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();

        await firstRound.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Terminate(process);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        process.WaitForExit(); // drains the asynchronous output reader

        var events = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", await stderr);
        Assert.Equal("started", (string?)events[0]["event"]);
        Assert.Equal("stopped", (string?)events[^1]["event"]);
        Assert.Contains(events, e => (string?)e["event"] == "check" && (string?)e["url"] == _site["missing"].ToString() && (int?)e["status"] == 404);
    }

    [Fact]
    public async Task The_program_refuses_bad_settings_with_one_line_and_exit_code_2_before_checking_anything()
    {
        var process = Start(("LINKCHECK_URLS", $"{_site["ok"]} not-a-url"));
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var e = JsonNode.Parse(line)!;
        Assert.Equal("invalid-settings", (string?)e["event"]);
        Assert.StartsWith("LINKCHECK_URLS holds `not-a-url`", (string?)e["error"]);
    }

    private Process Start(params (string Name, string Value)[] variables)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(ProgramPath());
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("LINKCHECK_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        foreach (var (name, value) in variables)
            info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        _started.Add(process);
        return process;
    }

    // The program's own build output (same configuration as the tests). The copy next to the tests cannot run on its
    // own: there Microsoft.Extensions.* come from the ASP.NET Core framework the tests reference, not from its deps.json.
    private static string ProgramPath()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = tests.Name;
        var configuration = tests.Parent!.Name;
        var sample = tests.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var program = Path.Combine(sample, "src", "Linkcheck", "bin", configuration, framework, "Linkcheck.dll");
        Assert.True(File.Exists(program), $"{program} does not exist: build samples/linkcheck/src/Linkcheck ({configuration}) first");
        return program;
    }

    // Process.Kill sends SIGKILL; Kubernetes and docker stop send SIGTERM, sent here with kill(2) itself so the
    // test needs no kill(1) binary on the runner.
    private static void Terminate(Process process) =>
        Assert.True(Kill(process.Id, 15) == 0, $"kill({process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
