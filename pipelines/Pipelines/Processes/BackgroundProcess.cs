using System.Text;
using CliWrap;
using Pipelines.Logging;

namespace Pipelines.Processes;

/// <summary>
/// A long-running child (a local registry, a fake server) started from a <see cref="Command"/>:
/// unlike <see cref="Command.ExecuteAsync"/>, starting does not wait for the end. Output lines go to
/// the log as they arrive and the last ones are kept for error messages. Disposing stops the process
/// (SIGTERM to its tree, then after the command's grace period the whole tree is killed).
/// </summary>
internal sealed class BackgroundProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly CommandTask<CliWrap.CommandResult> _run;
    private readonly CancellationTokenSource _forceful;
    private readonly Queue<string> _recent;
    private bool _disposed;

    private BackgroundProcess(Command command, CommandTask<CliWrap.CommandResult> run, CancellationTokenSource forceful, Queue<string> recent)
    {
        Command = command;
        _run = run;
        _forceful = forceful;
        _recent = recent;
    }

    /// <summary>The command that was started.</summary>
    public Command Command { get; }

    /// <summary>The operating-system process id.</summary>
    public int Id => _run.ProcessId;

    /// <summary>True once the process has ended (by itself or stopped) and its output is read.</summary>
    public bool HasExited => _disposed || _run.Task.IsCompleted;

    /// <summary>The exit code once ended, else null.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>The last lines the process printed (stdout and stderr interleaved), for error messages.</summary>
    public string RecentOutput
    {
        get { lock (_recent) return string.Join('\n', _recent); }
    }

    /// <summary>Starts <paramref name="command"/> without waiting for it to end.</summary>
    /// <exception cref="ToolNotFoundException">The executable is not installed.</exception>
    public static BackgroundProcess Start(Command command, ILog? log = null)
    {
        var level = command.Output == OutputMode.Stream ? LogLevel.Info : LogLevel.Debug;
        var recent = new Queue<string>();
        var lines = PipeTarget.ToDelegate(line =>
        {
            lock (recent)
            {
                recent.Enqueue(line);
                if (recent.Count > KeptLines) recent.Dequeue();
            }
            log?.Write(level, line);
        }, Encoding.UTF8);
        var forceful = new CancellationTokenSource();
        try
        {
            var run = command.Start(command.ToCli(lines, lines), forceful.Token);
            return new BackgroundProcess(command, run, forceful, recent);
        }
        catch
        {
            forceful.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        var result = await _run.Task.WaitAsync(cancellationToken);
        ExitCode = result.ExitCode;
        return result.ExitCode;
    }

    /// <summary>SIGTERM to the tree first so the child can clean up; after the grace period the whole tree is killed.</summary>
    public async Task StopAsync()
    {
        if (_disposed) return;
        await ProcessTree.StopAsync(_run.ProcessId, _run.Task, Command.GracePeriod, _forceful);
        if (_run.Task.IsCompletedSuccessfully) ExitCode = _run.Task.Result.ExitCode;
    }

    /// <summary>Stops the process and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await StopAsync();
        _disposed = true;
        _forceful.Dispose();
        _run.Dispose();
    }
}
