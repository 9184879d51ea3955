namespace Pipelines.Docker;

/// <summary>How the Docker daemon is reached.</summary>
internal enum DockerTransport
{
    /// <summary>An AF_UNIX socket (<c>unix:///var/run/docker.sock</c>).</summary>
    Unix,
    /// <summary>TCP, plain HTTP or HTTPS with client certificates (<c>tcp://host:2376</c>).</summary>
    Tcp,
}
