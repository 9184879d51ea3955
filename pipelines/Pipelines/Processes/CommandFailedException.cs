namespace Pipelines.Processes;

/// <summary>A command exited non-zero.</summary>
internal sealed class CommandFailedException(CommandResult result, string? what)
    : PipelineException(Describe(result, what))
{
    /// <summary>The exit code and output of the failed run, for callers that inspect them.</summary>
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
