using Pipelines.Hosts;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;
using Pipelines.Logging;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// The local runner reaches Docker the way the rest of the toolkit does: DOCKER_HOST, DOCKER_TLS_VERIFY and
/// DOCKER_CERT_PATH as a Tekton Task's dind sidecar sets them (tcp://localhost:2376 over TLS), here a fake TLS daemon.
/// </summary>
public sealed class LocalRunnerDockerHostTests : IAsyncLifetime
{
    private TlsDockerDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await TlsDockerDaemon.StartAsync();

    private LocalPipelineRunOptions Options(string certPath) =>
        new(TestPaths.TestData("tekton-local", "basic"), new Dictionary<string, string> { ["word"] = "hello" })
        {
            Environment = new Dictionary<string, string?>
            {
                ["TOKEN"] = "s3cr3t-token-value", ["DOCKER_HOST"] = _daemon.Host, ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = certPath,
            },
            RunnerDockerfile = TestPaths.TestData("tekton-local", "no-such-Dockerfile"),
        };

    [Fact]
    public async Task Every_call_of_the_runner_goes_to_a_tls_docker_host_with_the_client_certificate_at_the_negotiated_version()
    {
        var log = new MemoryLog();

        // The fake daemon answers only /version, so the run stops at the first image call; the calls it got are the point.
        await Assert.ThrowsAnyAsync<PipelineException>(() => new LocalPipelineRunner(log).RunAsync(Options(_daemon.CertPath), CancellationToken.None));

        Assert.Contains($"Docker engine: {_daemon.Host}.", log.Text);
        var calls = _daemon.Calls;
        Assert.Equal(("/version", "CN=client"), calls[0]);
        Assert.True(calls.Count > 1, string.Join(", ", calls));
        Assert.All(calls.Skip(1), call =>
        {
            Assert.StartsWith("/v1.41/", call.Path);
            Assert.Equal("CN=client", call.ClientSubject);
        });
    }

    [Fact]
    public async Task A_tls_docker_host_signed_by_another_ca_is_refused_naming_docker_host_and_the_cert_path()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => new LocalPipelineRunner(new MemoryLog()).RunAsync(Options(_daemon.OtherCertPath), CancellationToken.None));

        Assert.Contains($"DOCKER_HOST={_daemon.Host}", error.Message);
        Assert.Contains("DOCKER_CERT_PATH", error.Message);
        Assert.Empty(_daemon.Calls);
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();
}
