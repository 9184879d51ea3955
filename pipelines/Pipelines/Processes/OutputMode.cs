namespace Pipelines.Processes;

/// <summary>How a command's output reaches the log.</summary>
internal enum OutputMode
{
    /// <summary>Every stdout and stderr line goes to the log as it arrives.</summary>
    Stream,
    /// <summary>Lines go to the log only at debug level (<c>--verbose</c>).</summary>
    Quiet,
}
