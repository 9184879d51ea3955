using System.Diagnostics;
using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.Registry;

internal sealed partial class LocalRegistry
{
    /// <summary>
    /// The laptop default: re-uses a registry that already answers on the configured address, else starts one that
    /// outlives this build (its own session, log in <c>registry.log</c> beside the storage) so that later runs re-use
    /// it, and says so in the log. Only the binary is tried here; falling back to a <c>registry:2</c> container is
    /// the Docker client's job.
    /// </summary>
    public static async Task<LocalRegistryStatus> EnsureRunningAsync(LocalRegistryOptions options, ILog log, CancellationToken cancellationToken = default)
    {
        var address = FormatAddress(options.BindAddress, options.Port);
        var baseUrl = new Uri($"http://{address}");
        if (await AnswersAsync(baseUrl, cancellationToken))
        {
            log.Info($"Using the registry already running on {address}.");
            return new LocalRegistryStatus(address, Started: false, ProcessId: null, LogPath: null);
        }
        if (!IsPortFree(options.BindAddress, options.Port))
            throw new PipelineException(
                $"Something listens on {address} but does not answer like a registry (GET /v2/): stop it, or pass --registry with another address.");

        var executable = ResolveExecutable(options);
        Directory.CreateDirectory(options.StorageDirectory);
        var configPath = options.ConfigPath ?? Path.Combine(options.StorageDirectory, "config.yml");
        await File.WriteAllTextAsync(configPath, RenderConfig(options), cancellationToken);
        var logPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.StorageDirectory))!, "registry.log");

        // A fixed script with positional arguments (no text is spliced into it): the registry replaces the shell,
        // writes to its own log file instead of our pipes (which close when the build ends), and with setsid
        // leaves our session so that Ctrl-C on the build does not stop it.
        var start = new ProcessStartInfo(Command.Resolve("setsid") ?? "/bin/sh") { UseShellExecute = false, WorkingDirectory = options.StorageDirectory };
        if (Command.Resolve("setsid") is not null) start.ArgumentList.Add("/bin/sh");
        foreach (var argument in new[] { "-c", "exec \"$0\" serve \"$1\" >>\"$2\" 2>&1 </dev/null", executable, configPath, logPath })
            start.ArgumentList.Add(argument);
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("REGISTRY_", StringComparison.Ordinal)))
            start.Environment.Remove(name);
        using var process = Process.Start(start) ?? throw new PipelineException($"Could not start {executable}.");

        using var timeout = new CancellationTokenSource(options.StartTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            while (!await AnswersAsync(baseUrl, linked.Token))
            {
                if (process.HasExited)
                    throw new PipelineException($"The local registry ({executable}) exited with code {process.ExitCode} before answering on {address}: see {logPath}.");
                await Task.Delay(TimeSpan.FromMilliseconds(100), linked.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PipelineException($"The local registry did not answer on {baseUrl}v2/ within {options.StartTimeout.TotalSeconds:0} s: see {logPath}.");
        }

        log.Info($"Started a local registry on {address} ({Path.GetFileName(executable)}, pid {process.Id}, storage {options.StorageDirectory}, log {logPath}); later runs re-use it.");
        return new LocalRegistryStatus(address, Started: true, process.Id, logPath);
    }

    private static string ResolveExecutable(LocalRegistryOptions options) =>
        options.Executable is { } configured
            ? Command.Resolve(configured) ?? throw new ToolNotFoundException(configured, "check the registry binary path.")
            : Binaries.Select(Command.Resolve).FirstOrDefault(p => p is not null)
              ?? throw new ToolNotFoundException("docker-registry",
                  "install the distribution registry (`apt-get install docker-registry`) or put a `registry` binary on PATH.");
}
