namespace Pipelines.Processes;

/// <summary>How a process ended, and what it printed.</summary>
internal sealed record CommandResult(Command Command, int ExitCode, TimeSpan Duration, string StandardOutput, string StandardError)
{
    /// <summary>True when the exit code is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns this result, or throws naming the command, its exit code and its last lines of error output.</summary>
    public CommandResult EnsureSuccess(string? what = null)
    {
        if (Succeeded) return this;
        throw new CommandFailedException(this, what);
    }
}
