namespace Pipelines.Logging;

/// <summary>Shorthands so callers write <c>log.Info(…)</c> instead of naming the level.</summary>
public static class LogExtensions
{
    /// <summary>Logs progress the user should see.</summary>
    public static void Info(this ILog log, string message) => log.Write(LogLevel.Info, message);
    /// <summary>Logs something the user should look at that does not stop the build.</summary>
    public static void Warn(this ILog log, string message) => log.Write(LogLevel.Warning, message);
    /// <summary>Logs a failure.</summary>
    public static void Error(this ILog log, string message) => log.Write(LogLevel.Error, message);
    /// <summary>Logs detail shown only with <c>--verbose</c>.</summary>
    public static void Debug(this ILog log, string message) => log.Write(LogLevel.Debug, message);
}
