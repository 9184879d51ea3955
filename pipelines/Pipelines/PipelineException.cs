namespace Pipelines;

/// <summary>
/// A failure the user can fix. The engine prints its message alone (no stack trace unless
/// <c>--verbose</c>) and exits non-zero. The message names the input and the fix.
/// </summary>
public class PipelineException : Exception
{
    /// <summary>Creates the error with the one sentence the user will see.</summary>
    public PipelineException(string message) : base(message) { }
    /// <summary>Creates the error with the one sentence the user will see, keeping the cause for debugging.</summary>
    public PipelineException(string message, Exception inner) : base(message, inner) { }
}
