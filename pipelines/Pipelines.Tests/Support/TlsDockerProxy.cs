using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Pipelines.Tests.Support;

/// <summary>
/// The real local engine behind TLS, as a dind sidecar serves it (<c>dockerd --tlsverify</c> on tcp://localhost:2376):
/// an SslStream on a loopback port with a certificate for localhost, requiring a client certificate its own CA
/// signed, relaying each connection that passed the handshake to /var/run/docker.sock. Certificates are made here.
/// </summary>
public sealed class TlsDockerProxy : IAsyncDisposable
{
    private const string Socket = "/var/run/docker.sock";
    private readonly TempDirectory _certs = new("docker-proxy-certs");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _clients = [];
    private int _refused;
    private X509Certificate2 _server = null!;
    private X509Certificate2 _authority = null!;
    private Task _accepting = Task.CompletedTask;

    private TlsDockerProxy() { }

    /// <summary>DOCKER_HOST: <c>tcp://localhost:port</c>.</summary>
    public string Host => $"tcp://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem.</summary>
    public string CertPath => _certs.Path;

    /// <summary>The subjects of the client certificates of the connections relayed to the engine.</summary>
    public IReadOnlyList<string> RelayedClients
    {
        get { lock (_clients) return _clients.ToList(); }
    }

    /// <summary>Connections whose TLS handshake failed (nothing of them reached the engine).</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static TlsDockerProxy Start()
    {
        var proxy = new TlsDockerProxy();
        var (authority, authorityKey) = TlsDockerDaemon.CreateAuthority("proxy CA");
        var (server, _) = TlsDockerDaemon.Issue(authority, authorityKey, "docker-daemon", server: true);
        var client = TlsDockerDaemon.Issue(authority, authorityKey, "client", server: false);
        TlsDockerDaemon.WritePems(proxy.CertPath, authority, client);
        (proxy._authority, proxy._server) = (authority, server);
        proxy._listener.Start();
        proxy._accepting = proxy.AcceptAsync();
        return proxy;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try { connection = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = RelayAsync(connection);
        }
    }

    private async Task RelayAsync(TcpClient connection)
    {
        using var _ = connection;
        await using var tls = new SslStream(connection.GetStream(), false,
            // As dockerd --tlsverify: only a client certificate the CA signed.
            (_, certificate, _, _) => certificate is not null && new X509Certificate2(certificate).Issuer == _authority.Subject);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _server,
                ClientCertificateRequired = true,
            }, _stop.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            Interlocked.Increment(ref _refused);
            return;
        }
        lock (_clients) _clients.Add(tls.RemoteCertificate!.Subject);
        using var engine = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await engine.ConnectAsync(new UnixDomainSocketEndPoint(Socket), _stop.Token);
        await using var upstream = new NetworkStream(engine, ownsSocket: false);
        // Either side closing ends the relay (a hijacked or streamed response included).
        await Task.WhenAny(Copy(tls, upstream), Copy(upstream, tls));
    }

    private async Task Copy(Stream from, Stream to)
    {
        try { await from.CopyToAsync(to, _stop.Token); }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _certs.Dispose();
        _stop.Dispose();
    }
}
