using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Docker;

/// <summary>
/// <c>DOCKER_HOST=tcp://…</c> with <c>DOCKER_TLS_VERIFY</c>, as a dind sidecar serves it: a fake daemon (Kestrel)
/// that speaks the documented <c>/version</c> over TLS and requires a client certificate signed by the same CA.
/// </summary>
public sealed class DockerTlsSpecs : IAsyncLifetime
{
    private readonly TempDirectory _certs = new("docker-certs");
    private readonly TempDirectory _otherCerts = new("other-certs");
    private FakeServer? _daemon;
    private string _host = "";
    private string? _clientSubject;
    private X509Certificate2? _authority;
    private X509Certificate2? _server;

    public async Task InitializeAsync()
    {
        var (authority, authorityKey) = CreateAuthority("docker CA");
        var (server, _) = Issue(authority, authorityKey, "docker-daemon", server: true);
        (_authority, _server) = (authority, server);
        var client = Issue(authority, authorityKey, "client", server: false);
        WritePems(_certs.Path, authority, client);
        // The same valid client certificate, but a ca.pem that did not sign the daemon's: only our check can fail.
        var (otherAuthority, _) = CreateAuthority("some other CA");
        WritePems(_otherCerts.Path, otherAuthority, client);

        _daemon = await FakeServer.StartAsync(
            app => app.MapGet("/version", (HttpContext context) =>
            {
                _clientSubject = context.Connection.ClientCertificate?.Subject;
                return Results.Json(new Dictionary<string, string> { ["Version"] = "20.10.24", ["ApiVersion"] = "1.41", ["MinAPIVersion"] = "1.12" });
            }),
            https =>
            {
                https.ServerCertificate = server;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                // The daemon accepts only clients its CA signed, as dockerd --tlsverify does.
                https.ClientCertificateValidation = (certificate, _, _) => certificate.Issuer == authority.Subject;
            });
        _host = "tcp://" + _daemon.Address.Replace("127.0.0.1", "localhost");
    }

    [Fact]
    public async Task With_tls_verify_the_client_presents_its_certificate_and_trusts_only_the_given_ca()
    {
        using var docker = new DockerEngine(DockerEndpoint.Parse(_host, tlsVerify: true, _certs.Path), new MemoryLog());

        var version = await docker.NegotiateAsync();

        Assert.Equal(new Version(1, 41), version);
        Assert.Equal("CN=client", _clientSubject);
    }

    [Fact]
    public async Task A_daemon_certificate_from_another_ca_is_refused_naming_docker_host_and_the_cert_path()
    {
        using var docker = new DockerEngine(DockerEndpoint.Parse(_host, tlsVerify: true, _otherCerts.Path), new MemoryLog());

        var error = await Assert.ThrowsAsync<PipelineException>(() => docker.NegotiateAsync());

        Assert.Contains($"DOCKER_HOST={_host}", error.Message);
        Assert.Contains("DOCKER_CERT_PATH", error.Message);
        Assert.Null(_clientSubject);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("docker.example", false)]
    public void The_daemon_certificate_must_name_the_docker_host_even_when_the_handler_reports_no_mismatch(string host, bool accepted)
    {
        var validate = DockerTls.Validate([_authority!], host);

        Assert.Equal(accepted, validate(this, _server, null, SslPolicyErrors.None));
    }

    private static (X509Certificate2 Certificate, ECDsa Key) CreateAuthority(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)), key);
    }

    /// <summary>A certificate signed by the authority, and its key as PEM (RSA, as dind generates).</summary>
    private static (X509Certificate2 Certificate, string KeyPem) Issue(X509Certificate2 authority, ECDsa authorityKey, string name, bool server)
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

    private static void WritePems(string directory, X509Certificate2 authority, (X509Certificate2 Certificate, string KeyPem) client)
    {
        File.WriteAllText(Path.Combine(directory, "ca.pem"), authority.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "cert.pem"), client.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), client.KeyPem);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        _certs.Dispose();
        _otherCerts.Dispose();
    }
}
