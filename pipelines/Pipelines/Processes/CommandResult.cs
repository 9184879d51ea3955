namespace Pipelines.Processes;

/// <summary>How a process ended, and what it printed.</summary>
public sealed record CommandResult(Command Command, int ExitCode, TimeSpan Duration, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns this result, or throws naming the command, its exit code and its last lines of error output.</summary>
    public CommandResult EnsureSuccess(string? what = null)
    {
        if (Succeeded) return this;
        throw new CommandFailedException(this, what);
    }
}

/// <summary>A command exited non-zero.</summary>
public sealed class CommandFailedException(CommandResult result, string? what)
    : PipelineException(Describe(result, what))
{
    public CommandResult Result { get; } = result;

    private static string Describe(CommandResult result, string? what)
    {
        var tail = Tail(result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput);
        var name = what ?? $"`{Path.GetFileName(result.Command.Executable)}`";
        return $"{name} exited with code {result.ExitCode}{(tail.Length > 0 ? ": " + tail : ".")}";
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("\n", lines.TakeLast(5));
    }
}

/// <summary>The executable is not on PATH.</summary>
public sealed class ToolNotFoundException(string executable, string? hint)
    : PipelineException($"`{executable}` is not installed{(hint is null ? "." : ": " + hint)}")
{
    public string Executable { get; } = executable;
}

/// <summary>The command ran past its timeout and was stopped.</summary>
public sealed class CommandTimeoutException(Command command, TimeSpan timeout)
    : PipelineException($"`{Path.GetFileName(command.Executable)}` did not finish within {Targets.ParameterConverter.FormatDuration(timeout)} and was stopped.")
{
    public Command Command { get; } = command;
}
