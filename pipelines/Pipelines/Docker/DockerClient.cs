using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Pipelines.Hosts;

namespace Pipelines.Docker;

/// <summary>
/// A thin client for the Docker Engine API: only the calls the toolkit makes, typed. It speaks HTTP over
/// the unix socket or TCP (TLS with client certificates), negotiates the API version with the daemon
/// (<c>min(1.43, server)</c>) and turns an unreachable daemon into one message naming <c>DOCKER_HOST</c>.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    /// <summary>The newest API version this client is written against.</summary>
    public static readonly Version MaximumApiVersion = new(1, 43);

    private static readonly Version MinimumApiVersion = new(1, 41);
    private readonly HttpClient _http;
    private readonly ILog _log;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private Version? _apiVersion;

    /// <summary>A client for <paramref name="endpoint"/>; progress lines go to <paramref name="log"/>.</summary>
    public DockerClient(DockerEndpoint endpoint, ILog log)
    {
        Endpoint = endpoint;
        _log = log;
        _http = new HttpClient(CreateHandler(endpoint), disposeHandler: true)
        {
            BaseAddress = endpoint.BaseAddress,
            // Builds and pushes stream for as long as they take; callers cancel through their token.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("pipelines", "1.0"));
    }

    /// <summary>The daemon this client talks to.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <summary>The negotiated API version, once a call has been made.</summary>
    public Version? ApiVersion => _apiVersion;

    /// <summary>Pings the daemon and settles the API version: the lower of the daemon's and <see cref="MaximumApiVersion"/>.</summary>
    public async Task<Version> NegotiateAsync(CancellationToken cancellationToken = default)
    {
        if (_apiVersion is { } known) return known;
        await _negotiation.WaitAsync(cancellationToken);
        try
        {
            if (_apiVersion is { } settled) return settled;
            using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, "_ping"), HttpCompletionOption.ResponseContentRead, cancellationToken);
            var server = response.Headers.TryGetValues("API-Version", out var values) && Version.TryParse(values.FirstOrDefault(), out var advertised)
                ? advertised
                : await VersionFromVersionEndpointAsync(cancellationToken);
            if (server < MinimumApiVersion)
                throw new PipelineException($"The Docker daemon at {Endpoint.Host} speaks API {server}; the toolkit needs {MinimumApiVersion} or newer (Docker 20.10+). Upgrade Docker.");
            _apiVersion = server < MaximumApiVersion ? server : MaximumApiVersion;
            _log.Debug($"Docker API {_apiVersion} at {Endpoint.Host} (daemon offers {server})");
            return _apiVersion;
        }
        finally
        {
            _negotiation.Release();
        }
    }

    private async Task<Version> VersionFromVersionEndpointAsync(CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, "version"), HttpCompletionOption.ResponseContentRead, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.TryGetProperty("ApiVersion", out var version) && Version.TryParse(version.GetString(), out var parsed)
            ? parsed
            : MinimumApiVersion;
    }

    /// <summary>Sends a request to a versioned path (<c>/v1.41/…</c>) and throws on an error status.</summary>
    internal async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, string what, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? headers = null, bool allowNotFound = false)
    {
        var version = await NegotiateAsync(cancellationToken);
        var request = new HttpRequestMessage(method, $"v{version.Major}.{version.Minor}/{path.TrimStart('/')}") { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified) return response;
        if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound) return response;
        using (response)
            throw new DockerApiException(response.StatusCode, what, await ErrorMessageAsync(response, cancellationToken));
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e) when (IsUnreachable(e))
        {
            throw Unreachable(e);
        }
    }

    private static bool IsUnreachable(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
        || e.InnerException is SocketException or IOException { InnerException: SocketException };

    private PipelineException Unreachable(Exception cause)
    {
        var reason = cause.InnerException?.Message ?? cause.Message;
        var start = Endpoint.Transport == DockerTransport.Unix
            ? "start Docker (`sudo systemctl start docker`, or `sudo dockerd &`)"
            : "start the daemon there or check the TLS files in DOCKER_CERT_PATH";
        return new PipelineException(
            $"The Docker daemon is not reachable at DOCKER_HOST={Endpoint.Host} ({reason.TrimEnd('.')}): {start}, or set DOCKER_HOST to a running daemon.",
            cause);
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("message", out var message)) return message.GetString() ?? body;
        }
        catch (JsonException)
        {
        }
        return body.Trim().Length > 0 ? body.Trim() : response.ReasonPhrase ?? response.StatusCode.ToString();
    }

    private static SocketsHttpHandler CreateHandler(DockerEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        if (endpoint.Transport == DockerTransport.Unix)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.SocketPath!), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        else if (endpoint.Tls)
        {
            handler.SslOptions = TlsOptions(endpoint);
        }
        return handler;
    }

    /// <summary>The client certificate from cert.pem/key.pem, and the daemon verified against ca.pem alone.</summary>
    private static SslClientAuthenticationOptions TlsOptions(DockerEndpoint endpoint)
    {
        var directory = endpoint.CertPath!;
        string File(string name)
        {
            var path = Path.Combine(directory, name);
            if (!System.IO.File.Exists(path))
                throw new PipelineException($"DOCKER_TLS_VERIFY is set but {path} does not exist: set DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem.");
            return path;
        }

        // ca.pem may hold a bundle; every certificate in it is trusted, and nothing else.
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(File("ca.pem"));
        var client = X509Certificate2.CreateFromPemFile(File("cert.pem"), File("key.pem"));
        return new SslClientAuthenticationOptions
        {
            ClientCertificates = [client],
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                // A name mismatch is never accepted; chain errors are re-checked against ca.pem only.
                if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        };
    }

    /// <summary>Releases the HTTP connection to the engine.</summary>
    public void Dispose()
    {
        _http.Dispose();
        _negotiation.Dispose();
    }
}
