using System.Diagnostics;
using System.Text;
using CliWrap;
using Pipelines.Logging;

namespace Pipelines.Processes;

internal sealed partial record Command
{
    /// <summary>
    /// Runs the command to its end. Output lines go to <paramref name="log"/> as they arrive (masked by the
    /// host) and are captured in the result. On timeout or cancellation the process gets SIGTERM, then
    /// after <see cref="GracePeriod"/> its whole tree is killed.
    /// </summary>
    public async Task<CommandResult> ExecuteAsync(ILog? log = null, CancellationToken cancellationToken = default)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var level = Output == OutputMode.Stream ? LogLevel.Info : LogLevel.Debug;
        using var forceful = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var run = Start(ToCli(Capture(stdout), Capture(stderr)), forceful.Token);

        using var timeout = Timeout is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int exitCode;
        try
        {
            exitCode = (await run.Task.WaitAsync(linked.Token)).ExitCode;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            await ProcessTree.StopAsync(run.ProcessId, run.Task, GracePeriod, forceful);
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                throw new CommandTimeoutException(this, Timeout!.Value);
            throw new OperationCanceledException($"`{Path.GetFileName(Executable)}` was cancelled.", cancellationToken);
        }
        return new CommandResult(this, exitCode, watch.Elapsed, stdout.ToString(), stderr.ToString());

        PipeTarget Capture(StringBuilder capture) => PipeTarget.ToDelegate(line =>
        {
            lock (capture) capture.Append(line).Append('\n');
            log?.Write(level, line);
        }, Encoding.UTF8);
    }

    /// <summary>
    /// This command as CliWrap's: the executable resolved on PATH (so a missing tool gets our message), every
    /// argument escaped by CliWrap, our environment changes (null removes), stdin written then closed, and no
    /// validation (callers read the exit code or call <see cref="CommandResult.EnsureSuccess"/>).
    /// </summary>
    internal CliWrap.Command ToCli(PipeTarget stdout, PipeTarget stderr)
    {
        var path = Resolve(Executable) ?? throw new ToolNotFoundException(Path.GetFileName(Executable), MissingHint);
        return Cli.Wrap(path)
            .WithArguments(Arguments)
            .WithWorkingDirectory(WorkingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(Environment)
            .WithStandardInputPipe(StandardInput is null ? PipeSource.Null : PipeSource.FromString(StandardInput, Encoding.UTF8))
            .WithStandardOutputPipe(stdout)
            .WithStandardErrorPipe(stderr)
            .WithValidation(CommandResultValidation.None);
    }

    /// <summary>Starts the process; only <paramref name="forceful"/> makes CliWrap kill it (our SIGTERM comes first).</summary>
    internal CommandTask<CliWrap.CommandResult> Start(CliWrap.Command command, CancellationToken forceful)
    {
        try
        {
            return command.ExecuteAsync(forceful);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PipelineException($"`{Path.GetFileName(Executable)}` could not be started: {(e.InnerException ?? e).Message}.");
        }
    }

    /// <summary>The executable's full path: as given when it has a directory part, else searched on PATH.</summary>
    public static string? Resolve(string executable)
    {
        if (executable.Contains(Path.DirectorySeparatorChar) || executable.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(executable) ? Path.GetFullPath(executable) : null;
        var paths = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", ".bat", "" } : [""];
        foreach (var directory in paths)
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(directory, executable + extension);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
