namespace Pipelines.Hosts;

public enum LogLevel { Debug, Info, Warning, Error }

/// <summary>Where capabilities write what they are doing. Hosts mask secrets before anything is printed.</summary>
public interface ILog
{
    void Write(LogLevel level, string message);
}

public static class LogExtensions
{
    public static void Info(this ILog log, string message) => log.Write(LogLevel.Info, message);
    public static void Warn(this ILog log, string message) => log.Write(LogLevel.Warning, message);
    public static void Error(this ILog log, string message) => log.Write(LogLevel.Error, message);
    public static void Debug(this ILog log, string message) => log.Write(LogLevel.Debug, message);
}

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
