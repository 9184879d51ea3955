namespace Pipelines.Hosts;

public static class LogExtensions
{
    public static void Info(this ILog log, string message) => log.Write(LogLevel.Info, message);
    public static void Warn(this ILog log, string message) => log.Write(LogLevel.Warning, message);
    public static void Error(this ILog log, string message) => log.Write(LogLevel.Error, message);
    public static void Debug(this ILog log, string message) => log.Write(LogLevel.Debug, message);
}
