using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using Pipelines.Logging;
using Engine = Docker.DotNet;

namespace Pipelines.Docker;

/// <summary>
/// The toolkit's door to the Docker engine: the calls it makes, typed, over Docker.DotNet. What the package
/// leaves to its callers is done here: the API version is negotiated up to the daemon's (<c>GET /version</c>,
/// then pinned), <c>DOCKER_HOST</c>/<c>DOCKER_TLS_VERIFY</c>/<c>DOCKER_CERT_PATH</c> are read with the CLI's
/// defaults and a hostname check, errors inside build and push streams become one message naming the
/// Dockerfile step or the registry, and an unreachable daemon becomes one message naming <c>DOCKER_HOST</c>.
/// </summary>
internal sealed partial class DockerEngine : IDisposable
{
    /// <summary>The newest API version the package's models are written for; a newer daemon is spoken to at this one.</summary>
    public static readonly Version NewestApiVersion = new(1, 52);

    /// <summary>The oldest API version the toolkit works with (Docker 20.10).</summary>
    public static readonly Version MinimumApiVersion = new(1, 41);

    private readonly ILog _log;
    private readonly Engine.Handler.Abstractions.IAuthProvider? _tls;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private Engine.DockerClient? _client;
    private Version? _apiVersion;

    /// <summary>A client for <paramref name="endpoint"/>; progress lines go to <paramref name="log"/>.</summary>
    public DockerEngine(DockerEndpoint endpoint, ILog log)
    {
        Endpoint = endpoint;
        _log = log;
        // The certificate files are checked before anything is sent, so a wrong DOCKER_CERT_PATH fails first.
        _tls = endpoint.Tls ? DockerTls.Credentials(endpoint) : null;
    }

    /// <summary>The daemon this client talks to.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <summary>The negotiated API version, once a call has been made.</summary>
    public Version? ApiVersion => _apiVersion;

    /// <summary>
    /// Asks the daemon its API version (<c>GET /version</c>, unversioned) and pins every later call to the lower of
    /// it and <see cref="NewestApiVersion"/>; a daemon older than <see cref="MinimumApiVersion"/> is refused.
    /// </summary>
    public async Task<Version> NegotiateAsync(CancellationToken cancellationToken = default)
    {
        if (_apiVersion is { } known) return known;
        await _negotiation.WaitAsync(cancellationToken);
        try
        {
            if (_apiVersion is { } settled) return settled;
            using var probe = Connect(version: null);
            var answer = await GuardAsync("Asking the Docker daemon its version", () => probe.System.GetVersionAsync(cancellationToken));
            var server = Version.TryParse(answer.APIVersion, out var advertised) ? advertised : MinimumApiVersion;
            if (server < MinimumApiVersion)
                throw new PipelineException($"The Docker daemon at {Endpoint.Host} speaks API {server}; the toolkit needs {MinimumApiVersion} or newer (Docker 20.10+). Upgrade Docker.");
            var pinned = server < NewestApiVersion ? server : NewestApiVersion;
            _client = Connect(pinned);
            _apiVersion = pinned;
            _log.Debug($"Docker API {pinned} at {Endpoint.Host} (daemon offers {server})");
            return pinned;
        }
        finally
        {
            _negotiation.Release();
        }
    }

    /// <summary>Runs <paramref name="call"/> on the negotiated client, with the package's failures turned into ours.</summary>
    private async Task<T> CallAsync<T>(string what, Func<Engine.DockerClient, Task<T>> call, CancellationToken cancellationToken)
    {
        await NegotiateAsync(cancellationToken);
        return await GuardAsync(what, () => call(_client!));
    }

    private async Task CallAsync(string what, Func<Engine.DockerClient, Task> call, CancellationToken cancellationToken) =>
        await CallAsync(what, async client =>
        {
            await call(client);
            return true;
        }, cancellationToken);

    private async Task<T> GuardAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Engine.DockerApiException e)
        {
            throw new DockerApiException(e.StatusCode, what, DaemonMessage(e.ResponseBody, e.StatusCode.ToString()));
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable(e);
        }
    }

    private Engine.DockerClient Connect(Version? version)
    {
        var builder = new Engine.DockerClientBuilder()
            .WithEndpoint(Endpoint.EngineUri)
            // Builds and pushes stream for as long as they take; callers cancel through their token.
            .WithTimeout(Timeout.InfiniteTimeSpan);
        if (_tls is not null) builder = builder.WithAuthProvider(_tls);
        if (version is not null) builder = builder.WithApiVersion(version);
        return builder.Build();
    }

    /// <summary>A refused or failed connection (socket, DNS, TLS handshake), not an answer from the daemon.</summary>
    private static bool IsUnreachable(Exception e)
    {
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is SocketException or AuthenticationException) return true;
            if (cause is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError })
                return true;
        }
        return false;
    }

    private PipelineException Unreachable(Exception cause)
    {
        var innermost = cause;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        var start = Endpoint.Transport == DockerTransport.Unix
            ? "start Docker (`sudo systemctl start docker`, or `sudo dockerd &`)"
            : "start the daemon there or check the TLS files in DOCKER_CERT_PATH";
        return new PipelineException(
            $"The Docker daemon is not reachable at DOCKER_HOST={Endpoint.Host} ({innermost.Message.TrimEnd('.')}): {start}, or set DOCKER_HOST to a running daemon.",
            cause);
    }

    /// <summary>The daemon's <c>{"message": …}</c>, or the body as given.</summary>
    private static string DaemonMessage(string? body, string fallback)
    {
        if (string.IsNullOrWhiteSpace(body)) return fallback;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var message))
                return message.GetString() ?? body.Trim();
        }
        catch (JsonException)
        {
        }
        return body.Trim();
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    /// <summary>The <c>filters</c> query of the list calls, selecting by one <c>key=value</c> label.</summary>
    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string label) =>
        new() { ["label"] = new Dictionary<string, bool> { [label] = true } };

    /// <summary>Releases the connection to the engine.</summary>
    public void Dispose()
    {
        _client?.Dispose();
        _negotiation.Dispose();
    }
}
