using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Kubernetes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Kubernetes;

/// <summary>
/// The kubeconfig's certificate-authority replaces only the trust anchor: KubernetesClient's own callback would
/// accept a certificate the CA issued for another host, ours (set through FirstMessageHandlerSetup) does not.
/// </summary>
public sealed class KubernetesTlsTests
{
    private static readonly KubeResource Things = new("example.dev", "v1", "things");

    [Fact]
    public async Task A_server_certificate_from_the_kubeconfig_ca_for_this_host_is_trusted()
    {
        var (ca, caKey) = Authority();
        await using var server = await Serve(Issue(ca, caKey, dns: "localhost", ip: IPAddress.Loopback));
        using var client = new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", CertificateAuthorityPem = ca.ExportCertificatePem(), Source = "test" });

        var thing = await client.GetAsync(Things, "default", "one", CancellationToken.None);

        Assert.Equal("Thing", thing!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_server_certificate_from_the_kubeconfig_ca_for_another_host_is_refused()
    {
        var (ca, caKey) = Authority();
        await using var server = await Serve(Issue(ca, caKey, dns: "other.example", ip: null));
        using var client = new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", CertificateAuthorityPem = ca.ExportCertificatePem(), Source = "context ci in /kube" });

        var error = await Assert.ThrowsAsync<PipelineException>(() => client.GetAsync(Things, "default", "one", CancellationToken.None));

        Assert.StartsWith($"The Kubernetes API at {server.Url} (context ci in /kube) cannot be reached", error.Message);
        Assert.Empty(server.Requests);
    }

    private static Task<FakeServer> Serve(X509Certificate2 certificate) => FakeServer.StartAsync(
        app => app.MapGet("/apis/example.dev/v1/namespaces/default/things/one", () => Results.Text("""{"kind":"Thing"}""", "application/json")),
        https => https.ServerCertificate = certificate);

    private static (X509Certificate2 Certificate, ECDsa Key) Authority()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test cluster ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)), key);
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, ECDsa authorityKey, string dns, IPAddress? ip)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dns}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dns);
        if (ip is not null) names.AddIpAddress(ip);
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(authority.SubjectName, X509SignatureGenerator.CreateForECDsa(authorityKey),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux wants a key it can use after this method; a PKCS#12 round trip gives one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
