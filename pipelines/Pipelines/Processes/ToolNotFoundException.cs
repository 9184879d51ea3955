namespace Pipelines.Processes;

/// <summary>The executable is not on PATH.</summary>
internal sealed class ToolNotFoundException(string executable, string? hint)
    : PipelineException($"`{executable}` is not installed{(hint is null ? "." : ": " + hint)}")
{
    /// <summary>The executable that could not be found.</summary>
    public string Executable { get; } = executable;
}
