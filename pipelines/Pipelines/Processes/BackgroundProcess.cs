using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Pipelines.Hosts;

namespace Pipelines.Processes;

/// <summary>
/// A long-running child (a local registry, a fake server) started from a <see cref="Command"/>:
/// unlike <see cref="Command.ExecuteAsync"/>, starting does not wait for the end. Output lines go to
/// the log as they arrive and the last ones are kept for error messages. Disposing stops the process
/// (SIGTERM, then after the command's grace period the whole tree is killed).
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _recent = new();
    private readonly Task _pumps;
    private bool _disposed;

    private BackgroundProcess(Command command, Process process, ILog? log)
    {
        Command = command;
        _process = process;
        var level = command.Output == OutputMode.Stream ? LogLevel.Info : LogLevel.Debug;
        _pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));

        async Task Pump(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_recent)
                {
                    _recent.Enqueue(line);
                    if (_recent.Count > KeptLines) _recent.Dequeue();
                }
                log?.Write(level, line);
            }
        }
    }

    /// <summary>The command that was started.</summary>
    public Command Command { get; }

    /// <summary>The operating-system process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has ended (by itself or stopped).</summary>
    public bool HasExited => _disposed || _process.HasExited;

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
        var path = Command.Resolve(command.Executable)
                   ?? throw new ToolNotFoundException(Path.GetFileName(command.Executable), command.MissingHint);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = command.WorkingDirectory ?? Directory.GetCurrentDirectory(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in command.Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new PipelineException($"`{Path.GetFileName(command.Executable)}` could not be started: {e.Message}.");
        }

        if (command.StandardInput is not null) process.StandardInput.Write(command.StandardInput);
        process.StandardInput.Close();
        return new BackgroundProcess(command, process, log);
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _pumps;
        ExitCode = _process.ExitCode;
        return _process.ExitCode;
    }

    /// <summary>SIGTERM first so the child can clean up; after the grace period its whole tree is killed.</summary>
    public async Task StopAsync()
    {
        if (_disposed) return;
        if (!_process.HasExited)
        {
            if (!OperatingSystem.IsWindows()) _ = SendSignal(_process.Id, SignalTerm);
            else _process.Kill(entireProcessTree: true);
            using var grace = new CancellationTokenSource(Command.GracePeriod);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        await _pumps;
        ExitCode = _process.ExitCode;
    }

    /// <summary>Stops the process and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await StopAsync();
        _disposed = true;
        _process.Dispose();
    }

    private const int SignalTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
