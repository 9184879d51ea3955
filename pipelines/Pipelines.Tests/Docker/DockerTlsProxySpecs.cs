using System.Formats.Tar;
using System.Text;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Docker;

/// <summary>
/// The real engine behind TLS, as the Tekton Test Task's dind sidecar serves it (DOCKER_HOST=tcp://localhost:…,
/// DOCKER_TLS_VERIFY, DOCKER_CERT_PATH): the toolkit's client and the docker CLI get through, a plain client does not.
/// </summary>
public sealed class DockerTlsProxySpecs : IAsyncLifetime
{
    private TlsDockerProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _proxy = TlsDockerProxy.Start();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_toolkits_client_builds_and_inspects_an_image_through_the_tls_endpoint()
    {
        var tag = $"pipelines-tls-proxy:{Guid.NewGuid():N}"[..40];
        using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(Environment(tls: true).GetValueOrDefault), new MemoryLog());
        try
        {
            // A build streams its progress: the long-lived response crosses the TLS relay too.
            using var context = new MemoryStream();
            using (var tar = new TarWriter(context, leaveOpen: true))
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("FROM scratch\nLABEL through=tls\n")) });
            context.Position = 0;
            await docker.BuildImageAsync(context, "Dockerfile", [tag], new Dictionary<string, string>(), CancellationToken.None);

            var image = await docker.InspectImageAsync(tag);

            Assert.NotNull(image);
            Assert.Equal(DockerTransport.Tcp, docker.Endpoint.Transport);
            Assert.True(docker.Endpoint.Tls);
            Assert.NotEmpty(_proxy.RelayedClients);
            Assert.All(_proxy.RelayedClients, subject => Assert.Equal("CN=client", subject));
        }
        finally
        {
            await docker.RemoveImageAsync(tag, force: true);
        }
    }

    [Fact]
    public async Task A_client_without_tls_verify_gets_nothing_from_the_tls_endpoint()
    {
        using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(Environment(tls: false).GetValueOrDefault), new MemoryLog());

        await Assert.ThrowsAnyAsync<Exception>(() => docker.NegotiateAsync());

        Assert.Empty(_proxy.RelayedClients);
        Assert.True(_proxy.Refused > 0, "the plain connection reached the proxy and failed its handshake");
    }

    [Fact]
    public async Task The_docker_CLI_reads_the_same_variables_and_gets_through()
    {
        var command = new Command("docker").WithArguments("version", "--format", "{{.Server.APIVersion}}").WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(1));
        foreach (var (name, value) in Environment(tls: true)) command = command.WithEnvironment(name, value);

        var result = await command.ExecuteAsync();

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Matches(@"^1\.\d+$", result.StandardOutput.Trim());
        Assert.Contains("CN=client", _proxy.RelayedClients);
    }

    private Dictionary<string, string?> Environment(bool tls) => new()
    {
        ["DOCKER_HOST"] = _proxy.Host,
        ["DOCKER_TLS_VERIFY"] = tls ? "1" : null,
        ["DOCKER_CERT_PATH"] = tls ? _proxy.CertPath : null,
    };

    public async Task DisposeAsync() => await _proxy.DisposeAsync();
}
