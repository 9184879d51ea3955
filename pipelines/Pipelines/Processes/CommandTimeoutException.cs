namespace Pipelines.Processes;

/// <summary>The command ran past its timeout and was stopped.</summary>
internal sealed class CommandTimeoutException(Command command, TimeSpan timeout)
    : PipelineException($"`{Path.GetFileName(command.Executable)}` did not finish within {Durations.Format(timeout)} and was stopped.")
{
    /// <summary>The command that timed out, for callers that report or retry it.</summary>
    public Command Command { get; } = command;
}
