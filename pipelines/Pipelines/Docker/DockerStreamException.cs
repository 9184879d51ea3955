namespace Pipelines.Docker;

/// <summary>A build or push failed inside the daemon's progress stream.</summary>
internal sealed class DockerStreamException(string message, string? step, string daemonMessage) : PipelineException(message)
{
    /// <summary>The Dockerfile step that failed (<c>Step 3/5 : RUN …</c>), when a build failed.</summary>
    public string? Step { get; } = step;

    /// <summary>The daemon's (or the failing tool's) own message.</summary>
    public string DaemonMessage { get; } = daemonMessage;
}
