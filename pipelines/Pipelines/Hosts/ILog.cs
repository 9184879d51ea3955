namespace Pipelines.Hosts;

/// <summary>Where capabilities write what they are doing. Hosts mask secrets before anything is printed.</summary>
public interface ILog
{
    void Write(LogLevel level, string message);
}
