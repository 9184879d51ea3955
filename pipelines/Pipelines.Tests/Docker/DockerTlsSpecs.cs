using System.Net.Security;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Docker;

/// <summary><c>DOCKER_HOST=tcp://…</c> with <c>DOCKER_TLS_VERIFY</c>, as a dind sidecar serves it, against a fake TLS daemon.</summary>
public sealed class DockerTlsSpecs : IAsyncLifetime
{
    private TlsDockerDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await TlsDockerDaemon.StartAsync();

    [Fact]
    public async Task With_tls_verify_the_client_presents_its_certificate_and_trusts_only_the_given_ca()
    {
        using var docker = new DockerEngine(DockerEndpoint.Parse(_daemon.Host, tlsVerify: true, _daemon.CertPath), new MemoryLog());

        var version = await docker.NegotiateAsync();

        Assert.Equal(new Version(1, 41), version);
        Assert.Equal([("/version", "CN=client")], _daemon.Calls);
    }

    [Fact]
    public async Task A_daemon_certificate_from_another_ca_is_refused_naming_docker_host_and_the_cert_path()
    {
        using var docker = new DockerEngine(DockerEndpoint.Parse(_daemon.Host, tlsVerify: true, _daemon.OtherCertPath), new MemoryLog());

        var error = await Assert.ThrowsAsync<PipelineException>(() => docker.NegotiateAsync());

        Assert.Contains($"DOCKER_HOST={_daemon.Host}", error.Message);
        Assert.Contains("DOCKER_CERT_PATH", error.Message);
        Assert.Empty(_daemon.Calls);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("docker.example", false)]
    public void The_daemon_certificate_must_name_the_docker_host_even_when_the_handler_reports_no_mismatch(string host, bool accepted)
    {
        var validate = DockerTls.Validate([_daemon.Authority], host);

        Assert.Equal(accepted, validate(this, _daemon.ServerCertificate, null, SslPolicyErrors.None));
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();
}
