namespace Pipelines.Logging;

/// <summary>How important a log line is; hosts colour or annotate by it.</summary>
public enum LogLevel
{
    /// <summary>Detail shown only with <c>--verbose</c>.</summary>
    Debug,
    /// <summary>Progress the user should see.</summary>
    Info,
    /// <summary>Something to look at that does not stop the build.</summary>
    Warning,
    /// <summary>A failure.</summary>
    Error,
}
