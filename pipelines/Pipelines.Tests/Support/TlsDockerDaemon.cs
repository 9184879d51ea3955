using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Pipelines.Tests.Support;

/// <summary>
/// A fake Docker daemon as <c>dockerd --tlsverify</c> serves it in a dind sidecar: HTTPS on a loopback port with a
/// certificate for <c>localhost</c>, accepting only client certificates its own CA signed, answering the documented
/// <c>GET /version</c> (API 1.41). Two DOCKER_CERT_PATH folders come with it: one whose ca.pem signed the daemon, and one
/// with the same valid client certificate but another CA's ca.pem, so that only the client's server check can fail.
/// </summary>
public sealed class TlsDockerDaemon : IAsyncDisposable
{
    private readonly TempDirectory _certs = new("docker-certs");
    private readonly TempDirectory _otherCerts = new("other-certs");
    private readonly List<(string Path, string? ClientSubject)> _calls = [];
    private FakeServer? _server;

    private TlsDockerDaemon() { }

    /// <summary>The value for DOCKER_HOST: <c>tcp://localhost:port</c>.</summary>
    public string Host { get; private set; } = "";

    /// <summary>A DOCKER_CERT_PATH that works: the daemon's CA, a client certificate it signed, and its key.</summary>
    public string CertPath => _certs.Path;

    /// <summary>A DOCKER_CERT_PATH whose ca.pem did not sign the daemon's certificate.</summary>
    public string OtherCertPath => _otherCerts.Path;

    /// <summary>The CA that signed the daemon's and the client's certificates.</summary>
    public X509Certificate2 Authority { get; private set; } = null!;

    /// <summary>The daemon's certificate (names localhost and 127.0.0.1).</summary>
    public X509Certificate2 ServerCertificate { get; private set; } = null!;

    /// <summary>Every request that got through the handshake, with the subject of the client certificate it came with.</summary>
    public IReadOnlyList<(string Path, string? ClientSubject)> Calls
    {
        get { lock (_calls) return _calls.ToList(); }
    }

    /// <summary>Starts the daemon; <paramref name="map"/> adds routes beyond <c>/version</c> (anything else answers 404).</summary>
    public static async Task<TlsDockerDaemon> StartAsync(Action<WebApplication>? map = null)
    {
        var daemon = new TlsDockerDaemon();
        var (authority, authorityKey) = CreateAuthority("docker CA");
        var (server, _) = Issue(authority, authorityKey, "docker-daemon", server: true);
        (daemon.Authority, daemon.ServerCertificate) = (authority, server);
        var client = Issue(authority, authorityKey, "client", server: false);
        WritePems(daemon.CertPath, authority, client);
        var (otherAuthority, _) = CreateAuthority("some other CA");
        WritePems(daemon.OtherCertPath, otherAuthority, client);

        daemon._server = await FakeServer.StartAsync(
            app =>
            {
                app.Use(async (context, next) =>
                {
                    lock (daemon._calls) daemon._calls.Add((context.Request.Path.Value ?? "", context.Connection.ClientCertificate?.Subject));
                    await next(context);
                });
                app.MapGet("/version", () => Results.Json(new Dictionary<string, string> { ["Version"] = "20.10.24", ["ApiVersion"] = "1.41", ["MinAPIVersion"] = "1.12" }));
                map?.Invoke(app);
            },
            https =>
            {
                https.ServerCertificate = server;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                // The daemon accepts only clients its CA signed, as dockerd --tlsverify does.
                https.ClientCertificateValidation = (certificate, _, _) => certificate.Issuer == authority.Subject;
            });
        daemon.Host = "tcp://" + daemon._server.Address.Replace("127.0.0.1", "localhost");
        return daemon;
    }

    internal static (X509Certificate2 Certificate, ECDsa Key) CreateAuthority(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)), key);
    }

    /// <summary>A certificate signed by the authority, and its key as PEM (RSA, as dind generates).</summary>
    internal static (X509Certificate2 Certificate, string KeyPem) Issue(X509Certificate2 authority, ECDsa authorityKey, string name, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(authority.SubjectName, X509SignatureGenerator.CreateForECDsa(authorityKey),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux wants a key it can use after this method; a PKCS#12 round trip gives one.
        var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
        return (certificate, key.ExportRSAPrivateKeyPem());
    }

    internal static void WritePems(string directory, X509Certificate2 authority, (X509Certificate2 Certificate, string KeyPem) client)
    {
        File.WriteAllText(Path.Combine(directory, "ca.pem"), authority.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "cert.pem"), client.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), client.KeyPem);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _certs.Dispose();
        _otherCerts.Dispose();
    }
}
