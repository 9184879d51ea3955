using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.Registry;

/// <summary>
/// The laptop default registry: <c>127.0.0.1:5000</c>. When nothing answers there, it starts the distribution
/// registry detached (its own session, output to a log file, its pid in a file) with storage under
/// <c>.gitops/registry/</c>, so that it outlives the build and a later run re-uses it and the layers it holds.
/// </summary>
internal sealed class LocalRegistryDaemon(string stateDirectory, ILog log)
{
    /// <summary>The default address.</summary>
    public const string DefaultAddress = "127.0.0.1:5000";

    // A fixed script; every value reaches it as a positional argument, never spliced into the text.
    // It records its own pid, then becomes the registry (exec keeps the pid), detached from our pipes.
    private const string Launcher = "echo $$ > \"$3\"; exec \"$0\" serve \"$1\" >> \"$2\" 2>&1 < /dev/null";

    /// <summary>The registry's storage folder.</summary>
    public string StorageDirectory => Path.Combine(stateDirectory, "registry");

    /// <summary>The file holding the registry's pid.</summary>
    public string PidFile => Path.Combine(stateDirectory, "registry.pid");

    /// <summary>The registry's log file.</summary>
    public string LogFile => Path.Combine(stateDirectory, "registry.log");

    /// <summary>Returns the registry address, after starting the registry when nothing answers there.</summary>
    public async Task<string> EnsureAsync(int port = 5000, CancellationToken cancellationToken = default)
    {
        var address = $"127.0.0.1:{port}";
        var url = new Uri($"http://{address}");
        if (await LocalRegistry.AnswersAsync(url, cancellationToken))
        {
            log.Info($"Using the registry on {address} (no --registry given).");
            return address;
        }

        var executable = LocalRegistry.Binaries.Select(Command.Resolve).FirstOrDefault(p => p is not null)
            ?? throw new ToolNotFoundException("docker-registry",
                $"nothing answers on {address} and no registry binary is installed: install docker-registry (`apt-get install docker-registry`) or pass --registry.");
        Directory.CreateDirectory(StorageDirectory);
        var config = Path.Combine(stateDirectory, "registry.yml");
        await File.WriteAllTextAsync(config, LocalRegistry.RenderConfig(new LocalRegistryOptions { StorageDirectory = StorageDirectory, Port = port }), cancellationToken);

        var started = await new Command("setsid")
            .WithArguments("-f", "/bin/sh", "-c", Launcher, executable, config, LogFile, PidFile)
            .WithOutput(OutputMode.Quiet)
            .WithMissingHint($"setsid (util-linux) starts the local registry detached; install it, or start a registry on {address} yourself, or pass --registry.")
            .ExecuteAsync(log, cancellationToken);
        started.EnsureSuccess("Starting the local registry");

        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await LocalRegistry.AnswersAsync(url, cancellationToken))
            {
                var pid = File.Exists(PidFile) ? (await File.ReadAllTextAsync(PidFile, cancellationToken)).Trim() : "?";
                log.Info($"Started a local registry on {address} (storage {StorageDirectory}, pid {pid} in {PidFile}); later runs re-use it. Stop it with: kill $(cat {PidFile})");
                return address;
            }
            await Task.Delay(200, cancellationToken);
        }
        var tail = File.Exists(LogFile) ? string.Join("\n", (await File.ReadAllLinesAsync(LogFile, cancellationToken)).TakeLast(5)) : "";
        throw new PipelineException($"A local registry was started on {address} but does not answer: {tail} (log: {LogFile}). Free the port or pass --registry.");
    }
}
