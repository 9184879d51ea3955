using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>The laptop default registry: started detached when absent, re-used when present.</summary>
public sealed class LocalRegistryDaemonSpecs : IDisposable
{
    private readonly TempDirectory _state = new("gitops-state");

    [Fact]
    public async Task With_nothing_listening_a_registry_is_started_detached_and_a_later_run_reuses_it()
    {
        var port = LocalRegistry.FindFreePort();
        var log = new MemoryLog();
        var daemon = new LocalRegistryDaemon(_state.Path, log);

        var address = await daemon.EnsureAsync(port);

        Assert.Equal($"127.0.0.1:{port}", address);
        Assert.True(await LocalRegistry.AnswersAsync(new Uri($"http://{address}")));
        Assert.Contains(log.Lines, l => l.Message.StartsWith($"Started a local registry on {address}"));
        Assert.True(Directory.Exists(daemon.StorageDirectory));
        var pid = int.Parse(File.ReadAllText(daemon.PidFile).Trim());
        // Detached: it leads its own session, so the build's Ctrl-C or exit does not stop it.
        Assert.Equal(pid.ToString(), (await new Command("ps").WithArguments("-o", "sid=", "-p", pid.ToString()).WithOutput(OutputMode.Quiet).ExecuteAsync()).StandardOutput.Trim());

        var again = new MemoryLog();
        Assert.Equal(address, await new LocalRegistryDaemon(_state.Path, again).EnsureAsync(port));
        Assert.Contains(again.Lines, l => l.Message.StartsWith($"Using the registry on {address}"));
        Assert.Equal(pid.ToString(), File.ReadAllText(daemon.PidFile).Trim());
    }

    public void Dispose()
    {
        var pidFile = Path.Combine(_state.Path, "registry.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
        _state.Dispose();
    }
}
