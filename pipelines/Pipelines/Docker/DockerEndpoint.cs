namespace Pipelines.Docker;

/// <summary>
/// Where the Docker daemon listens, read from <c>DOCKER_HOST</c>, <c>DOCKER_TLS_VERIFY</c> and
/// <c>DOCKER_CERT_PATH</c> the way the docker CLI reads them (the form a <c>docker:dind</c> sidecar uses).
/// </summary>
/// <param name="Host">The <c>DOCKER_HOST</c> value as given (or the default), for messages.</param>
/// <param name="Transport">Unix socket or TCP.</param>
/// <param name="SocketPath">The socket file, for <see cref="DockerTransport.Unix"/>.</param>
/// <param name="Address">host:port, for <see cref="DockerTransport.Tcp"/>.</param>
/// <param name="Tls">Whether to speak HTTPS and verify the daemon against <c>ca.pem</c>.</param>
/// <param name="CertPath">Where <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c> are.</param>
internal sealed record DockerEndpoint(string Host, DockerTransport Transport, string? SocketPath, string? Address, bool Tls, string? CertPath)
{
    /// <summary>The engine's socket when no host is configured.</summary>
    public const string DefaultHost = "unix:///var/run/docker.sock";

    /// <summary>The default local socket.</summary>
    public static DockerEndpoint Default { get; } = Parse(DefaultHost, tlsVerify: false, certPath: null);

    /// <summary>Reads the endpoint from the process environment.</summary>
    public static DockerEndpoint FromEnvironment() => FromEnvironment(name => Environment.GetEnvironmentVariable(name));

    /// <summary>Reads the endpoint from <paramref name="variable"/> (name → value or null).</summary>
    public static DockerEndpoint FromEnvironment(Func<string, string?> variable)
    {
        var host = variable("DOCKER_HOST") is { Length: > 0 } configured ? configured : DefaultHost;
        // The CLI treats any non-empty DOCKER_TLS_VERIFY as "on", even "0".
        var verify = variable("DOCKER_TLS_VERIFY") is { Length: > 0 };
        var certPath = variable("DOCKER_CERT_PATH") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return Parse(host, verify, verify ? certPath : null);
    }

    /// <summary>Parses a <c>DOCKER_HOST</c> value.</summary>
    public static DockerEndpoint Parse(string host, bool tlsVerify, string? certPath)
    {
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var socket = host["unix://".Length..];
            if (socket.Length == 0) throw Invalid(host, "the socket path is missing");
            return new DockerEndpoint(host, DockerTransport.Unix, socket, null, false, null);
        }
        if (host.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var rest = host["tcp://".Length..].TrimEnd('/');
            if (rest.Length == 0) throw Invalid(host, "the host is missing");
            if (!Uri.TryCreate("http://" + rest, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/")
                throw Invalid(host, "expected tcp://host:port");
            // Without a port the CLI uses 2376 with TLS and 2375 without.
            var port = rest.Contains(':') && !rest.EndsWith(']') ? uri.Port : (tlsVerify ? 2376 : 2375);
            return new DockerEndpoint(host, DockerTransport.Tcp, null, $"{uri.Host}:{port}", tlsVerify, certPath);
        }
        throw Invalid(host, "only unix:// and tcp:// are supported");
    }

    private static PipelineException Invalid(string host, string what) =>
        new($"DOCKER_HOST='{host}' is not usable: {what}. Use unix:///var/run/docker.sock or tcp://host:2376.");

    /// <summary>The address handed to Docker.DotNet (<c>unix:///…</c> or <c>tcp://host:port</c>, the port made explicit).</summary>
    internal Uri EngineUri => Transport == DockerTransport.Unix
        ? new Uri("unix://" + SocketPath)
        : new Uri($"tcp://{Address}");
}
