using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;

namespace Pipelines.Tests.Docker;

public sealed class DockerEndpointSpecs
{
    [Fact]
    public void Without_docker_host_the_local_socket_is_used()
    {
        var endpoint = DockerEndpoint.FromEnvironment(_ => null);

        Assert.Equal(DockerTransport.Unix, endpoint.Transport);
        Assert.Equal("/var/run/docker.sock", endpoint.SocketPath);
    }

    [Fact]
    public void A_dind_sidecar_host_with_tls_verify_uses_https_and_the_cert_path()
    {
        var variables = new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = "tcp://localhost:2376",
            ["DOCKER_TLS_VERIFY"] = "1",
            ["DOCKER_CERT_PATH"] = "/certs/client",
        };

        var endpoint = DockerEndpoint.FromEnvironment(name => variables.GetValueOrDefault(name));

        Assert.Equal(DockerTransport.Tcp, endpoint.Transport);
        Assert.Equal("localhost:2376", endpoint.Address);
        Assert.True(endpoint.Tls);
        Assert.Equal("/certs/client", endpoint.CertPath);
    }

    [Theory]
    [InlineData("tcp://10.0.0.5", false, "10.0.0.5:2375")]
    [InlineData("tcp://10.0.0.5", true, "10.0.0.5:2376")]
    [InlineData("tcp://docker:2375/", false, "docker:2375")]
    public void A_tcp_host_without_a_port_gets_the_cli_default(string host, bool tls, string address) =>
        Assert.Equal(address, DockerEndpoint.Parse(host, tls, tls ? "/certs" : null).Address);

    [Theory]
    [InlineData("npipe:////./pipe/docker_engine")]
    [InlineData("ssh://me@host")]
    [InlineData("unix://")]
    [InlineData("tcp://")]
    public void An_unsupported_docker_host_names_the_value(string host)
    {
        var error = Assert.Throws<PipelineException>(() => DockerEndpoint.Parse(host, false, null));

        Assert.Contains($"DOCKER_HOST='{host}'", error.Message);
    }

    [Fact]
    public void Tls_without_the_certificate_files_names_the_missing_file()
    {
        var endpoint = DockerEndpoint.Parse("tcp://127.0.0.1:1", true, "/nonexistent/certs");

        var error = Assert.Throws<PipelineException>(() => new DockerEngine(endpoint, new MemoryLog()));

        Assert.Contains("/nonexistent/certs/ca.pem", error.Message);
        Assert.Contains("DOCKER_CERT_PATH", error.Message);
    }

    [Fact]
    public void Registry_credentials_reach_the_engine_with_the_server_address_and_never_in_their_text()
    {
        var credential = RegistryCredential.Basic("ci", "p+s/w?rd>>", "username 'ci'");

        var config = DockerAuth.ToAuthConfig(credential, DockerAuth.ServerAddress("127.0.0.1:5000/team/app"));

        Assert.Equal("ci", config.Username);
        Assert.Equal("p+s/w?rd>>", config.Password);
        Assert.Equal("127.0.0.1:5000", config.ServerAddress);
        Assert.DoesNotContain("p+s/w?rd", credential.ToString());
    }

    [Fact]
    public void An_identity_token_is_sent_instead_of_a_password()
    {
        var config = DockerAuth.ToAuthConfig(RegistryCredential.Token("token", "identity token"), "registry.example");

        Assert.Equal("token", config.IdentityToken);
        Assert.Null(config.Username);
        Assert.Null(config.Password);
    }

    [Fact]
    public void A_Docker_Hub_image_is_pushed_with_the_server_address_Docker_keeps_for_the_Hub()
    {
        Assert.Equal(DockerAuth.DockerHubServer, DockerAuth.ServerAddress("team/app"));
        Assert.Equal("registry.example", DockerAuth.ServerAddress("registry.example/team/app"));
    }
}
