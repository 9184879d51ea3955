using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Pipelines.Hosts;

namespace Pipelines.Processes;

public sealed partial record Command
{
    /// <summary>
    /// Runs the command to its end. Output lines go to <paramref name="log"/> as they arrive (masked by the
    /// host) and are captured in the result. On timeout or cancellation the process gets SIGTERM, then
    /// after <see cref="GracePeriod"/> its whole tree is killed.
    /// </summary>
    public async Task<CommandResult> ExecuteAsync(ILog? log = null, CancellationToken cancellationToken = default)
    {
        var path = Resolve(Executable) ?? throw new ToolNotFoundException(Path.GetFileName(Executable), MissingHint);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory ?? Directory.GetCurrentDirectory(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in Arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var level = Output == OutputMode.Stream ? LogLevel.Info : LogLevel.Debug;
        var watch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PipelineException($"`{Path.GetFileName(Executable)}` could not be started: {e.Message}.");
        }

        var readOut = Pump(process.StandardOutput, stdout);
        var readErr = Pump(process.StandardError, stderr);
        await WriteInputAsync(process);

        using var timeout = Timeout is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process);
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                throw new CommandTimeoutException(this, Timeout!.Value);
            throw new OperationCanceledException($"`{Path.GetFileName(Executable)}` was cancelled.", cancellationToken);
        }

        await Task.WhenAll(readOut, readErr);
        return new CommandResult(this, process.ExitCode, watch.Elapsed, stdout.ToString(), stderr.ToString());

        async Task Pump(StreamReader reader, StringBuilder capture)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (capture) capture.Append(line).Append('\n');
                log?.Write(level, line);
            }
        }
    }

    private async Task WriteInputAsync(Process process)
    {
        try
        {
            if (StandardInput is not null) await process.StandardInput.WriteAsync(StandardInput);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process ended without reading its input; its exit code tells the rest.
        }
    }

    /// <summary>
    /// SIGTERM to the process and its descendants first, so the tool can clean up; after the grace
    /// period whatever is left of the tree is killed. The tree is taken before signalling, because
    /// children that outlive their parent can no longer be found through it.
    /// </summary>
    private async Task StopAsync(Process process)
    {
        if (process.HasExited) return;
        var tree = OperatingSystem.IsLinux() ? ProcessTree.Of(process.Id) : [process.Id];
        if (!OperatingSystem.IsWindows())
            foreach (var pid in tree) _ = SendSignal(pid, SignalTerm);
        using var grace = new CancellationTokenSource(GracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
        }
        if (!OperatingSystem.IsWindows())
            foreach (var pid in tree.Where(ProcessTree.IsAlive)) _ = SendSignal(pid, SignalKill);
    }

    private const int SignalTerm = 15;
    private const int SignalKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

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
