using System.Net;
using System.Net.Sockets;
using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.TektonLocal;

/// <summary>
/// <c>git daemon</c> on 127.0.0.1 for the repositories a local PipelineRun clones and pushes to (this checkout, the
/// local manifests repository). The pod's uid cannot open a root-owned repository on disk (git's safe.directory
/// check), but it can fetch from and push to it over git://, as a cluster reaches a remote.
/// </summary>
internal sealed class LocalGitServer : IAsyncDisposable
{
    private readonly BackgroundProcess _daemon;

    private LocalGitServer(BackgroundProcess daemon, int port)
    {
        _daemon = daemon;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The git:// URL of a served directory.</summary>
    public string Url(string directory) => $"git://127.0.0.1:{Port}{Path.GetFullPath(directory).TrimEnd('/')}";

    /// <summary>Starts the daemon for exactly these directories (pushes allowed) and waits until it accepts connections.</summary>
    public static async Task<LocalGitServer> StartAsync(IReadOnlyList<string> directories, ILog log, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var daemon = BackgroundProcess.Start(new Command("git").WithArguments(
            ["daemon", "--reuseaddr", "--listen=127.0.0.1", $"--port={port}", "--export-all", "--enable=receive-pack", "--informative-errors",
             .. directories.Select(d => Path.GetFullPath(d).TrimEnd('/'))]).WithOutput(OutputMode.Quiet), log);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return new LocalGitServer(daemon, port);
            }
            catch (SocketException) when (!daemon.HasExited) { await Task.Delay(100, cancellationToken); }
            catch (SocketException) { break; }
        }
        var output = daemon.RecentOutput;
        await daemon.DisposeAsync();
        throw new PipelineException($"git daemon did not start on 127.0.0.1:{port} ({output.Trim()}); check that git's daemon (git-daemon) is installed.");
    }

    /// <summary>The directory git daemon can serve for a checkout: its git directory (a worktree's common one, which holds its commits).</summary>
    public static async Task<string> RepositoryOfAsync(string checkout, CancellationToken cancellationToken)
    {
        var result = await new Command("git").WithArguments("rev-parse", "--path-format=absolute", "--git-common-dir")
            .WithWorkingDirectory(checkout).WithOutput(OutputMode.Quiet).ExecuteAsync(null, cancellationToken);
        return result.Succeeded ? result.StandardOutput.Trim()
            : throw new PipelineException($"{checkout} is not a git checkout: TektonRun --local clones a commit, so run it in the repository.");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _daemon.DisposeAsync();
}
