using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Signing;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>A registry address that is some other web server is probed once at <c>/v2/</c> and named at once.</summary>
public sealed class NotARegistryTests : IDisposable
{
    private readonly TempDirectory _home = new("docker-config");
    private readonly MemoryLog _log = new();

    private RegistryClient Client() =>
        new(new RegistryClientOptions { RetryDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromMilliseconds(50) },
            new DockerCredentials(_home.Combine("config.json")), _log);

    public void Dispose() => _home.Dispose();

    /// <summary>What a plain file server says: 404 to GET /v2/, 501 to POST.</summary>
    private static Task<FakeServer> WebServerAsync() => FakeServer.StartAsync(app => app.Run(context =>
    {
        context.Response.StatusCode = context.Request.Method == "POST" ? 501 : 404;
        return context.Response.WriteAsync("<html><body>Not here</body></html>");
    }));

    [Fact]
    public async Task A_push_to_a_web_server_that_is_not_a_registry_fails_after_one_probe_saying_so()
    {
        await using var web = await WebServerAsync();
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobAsync(ImageReference.Create(web.Address, "team/app"), "x"u8.ToArray()));

        Assert.Contains($"{web.Address} is not an OCI registry: GET http://{web.Address}/v2/ answered 404", error.Message);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        var probe = Assert.Single(web.Requests);
        Assert.Equal(("GET", "/v2/"), (probe.Method, probe.PathAndQuery));
    }

    [Fact]
    public async Task Verify_against_a_web_server_says_it_is_not_a_registry_rather_than_that_the_image_has_no_signatures()
    {
        await using var web = await WebServerAsync();
        using var client = Client();
        using var key = SigningKey.Generate();
        var image = ImageReference.Parse($"{web.Address}/team/app@sha256:{new string('a', 64)}");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            new SignatureVerifier(new RegistrySignatureStore(client)).VerifyAsync(image, key.PublicKey, VerificationPolicy.SignatureOnly, CancellationToken.None));

        Assert.Contains("is not an OCI registry", error.Message);
        Assert.DoesNotContain("signature", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(web.Requests);
    }

    [Fact]
    public async Task Nothing_listening_is_reported_as_unreachable()
    {
        using var client = Client();
        using var key = SigningKey.Generate();
        var image = ImageReference.Parse($"127.0.0.1:{FreePort.OnLoopback()}/team/app@sha256:{new string('b', 64)}");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            new SignatureVerifier(new RegistrySignatureStore(client)).VerifyAsync(image, key.PublicKey, VerificationPolicy.SignatureOnly, CancellationToken.None));

        Assert.Contains($"Registry {image.Registry} is unreachable", error.Message);
        Assert.Contains("gave up after 7 attempts", error.Message);
    }
}
