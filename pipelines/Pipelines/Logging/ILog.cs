namespace Pipelines.Logging;

/// <summary>Where capabilities write what they are doing. Hosts mask secrets before anything is printed.</summary>
public interface ILog
{
    /// <summary>Writes one message at the given level; hosts mask secrets before it is shown.</summary>
    void Write(LogLevel level, string message);
}
