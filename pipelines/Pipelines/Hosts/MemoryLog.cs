namespace Pipelines.Hosts;

/// <summary>A log that keeps lines in memory; for tests and for capturing a tool's output.</summary>
public sealed class MemoryLog : ILog
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get { lock (_lines) return _lines.ToList(); }
    }

    public string Text => string.Join('\n', Lines.Select(l => l.Message));

    public void Write(LogLevel level, string message)
    {
        lock (_lines) _lines.Add((level, message));
    }
}
