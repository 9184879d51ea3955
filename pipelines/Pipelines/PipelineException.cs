namespace Pipelines;

/// <summary>
/// A failure the user can fix. The engine prints its message alone (no stack trace unless
/// <c>--verbose</c>) and exits non-zero. The message names the input and the fix.
/// </summary>
public class PipelineException : Exception
{
    public PipelineException(string message) : base(message) { }
    public PipelineException(string message, Exception inner) : base(message, inner) { }
}
