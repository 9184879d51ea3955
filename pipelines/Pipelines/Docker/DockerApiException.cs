using System.Net;

namespace Pipelines.Docker;

/// <summary>The Docker daemon answered a call with an error status.</summary>
internal sealed class DockerApiException(HttpStatusCode status, string what, string message)
    : PipelineException($"{what} failed: {message.TrimEnd('.', '\n')} (Docker API {(int)status}).")
{
    /// <summary>The HTTP status the daemon answered with.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The daemon's own message.</summary>
    public string DaemonMessage { get; } = message;
}
