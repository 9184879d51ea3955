namespace Pipelines.Logging;

/// <summary>A log that keeps lines in memory; for tests and for capturing a tool's output.</summary>
internal sealed class MemoryLog : ILog
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    /// <summary>A snapshot of every line written so far, for assertions.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get { lock (_lines) return _lines.ToList(); }
    }

    /// <summary>The messages joined by newlines, for substring assertions.</summary>
    public string Text => string.Join('\n', Lines.Select(l => l.Message));

    /// <summary>Keeps the line; nothing is printed.</summary>
    public void Write(LogLevel level, string message)
    {
        lock (_lines) _lines.Add((level, message));
    }
}
