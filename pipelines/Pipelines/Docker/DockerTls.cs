using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.X509;

namespace Pipelines.Docker;

/// <summary>
/// <c>DOCKER_TLS_VERIFY</c>: the client certificate from <c>cert.pem</c>/<c>key.pem</c> presented through
/// Docker.DotNet.X509, and the daemon verified by our own callback, because the package's accepts a name
/// mismatch and reads only the first certificate of a <c>ca.pem</c> bundle.
/// </summary>
internal static class DockerTls
{
    /// <summary>The credentials for <paramref name="endpoint"/>; a missing file is named with the fix.</summary>
    public static CertificateCredentials Credentials(DockerEndpoint endpoint)
    {
        var directory = endpoint.CertPath!;
        string File(string name)
        {
            var path = Path.Combine(directory, name);
            if (!System.IO.File.Exists(path))
                throw new PipelineException($"DOCKER_TLS_VERIFY is set but {path} does not exist: set DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem.");
            return path;
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(File("ca.pem"));
        var client = DockerTlsCertificates.LoadCertificateFromPemFiles(File("cert.pem"), File("key.pem"));
        var host = HostOf(endpoint.Address!);
        return new CertificateCredentials(client) { ServerCertificateValidationCallback = Validate(authorities, host) };
    }

    /// <summary>
    /// The daemon's certificate must name the host DOCKER_HOST names and chain to a certificate of <c>ca.pem</c>
    /// (every one of a bundle, and nothing else: not the machine's trust store).
    /// </summary>
    internal static RemoteCertificateValidationCallback Validate(X509Certificate2Collection authorities, string host) =>
        (_, certificate, _, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
            using var presented = new X509Certificate2(certificate);
            if (!presented.MatchesHostname(host, allowWildcards: true, allowCommonName: false)) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(presented);
        };

    private static string HostOf(string address)
    {
        // host:port, [v6]:port
        var colon = address.LastIndexOf(':');
        var host = colon > 0 ? address[..colon] : address;
        return host.Trim('[', ']');
    }
}
