using System.Net;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>Transient failures injected by a proxy in front of the real registry: what is retried, what is not, and how far.</summary>
public sealed class RegistryResilienceTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly TempDirectory _home = new("docker-config");
    private readonly MemoryLog _log = new();

    private RegistryClient Client(int maxRetries = 4, int chunkSize = 16 * 1024 * 1024) =>
        new(new RegistryClientOptions { MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromMilliseconds(50), ChunkSize = chunkSize },
            new DockerCredentials(_home.Combine("config.json")), _log);

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_registry_that_answers_503_to_the_first_requests_then_recovers_still_gets_the_push()
    {
        await using var proxy = await FlakyRegistryProxy.StartAsync(registry.Registry.BaseUrl, (_, before) => before < 2 ? 503 : null);
        using var client = Client();
        var repository = ImageReference.Create(proxy.Address, RegistryTestImages.RepositoryName("flaky"));

        var manifest = await RegistryTestImages.PushImageAsync(client, repository, "v1");

        using var direct = Client();
        Assert.Equal(manifest.Digest, await direct.ResolveDigestAsync(registry.Reference(repository.Repository, "v1")));
        Assert.Contains(proxy.Requests, r => r.StartsWith("PUT ") && r.EndsWith("503 (injected)"));
        Assert.Contains(proxy.Requests, r => r.StartsWith("POST ") && r.EndsWith("503 (injected)"));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("503") && l.Message.Contains("retry"));
    }

    [Fact]
    public async Task A_reset_connection_on_a_read_is_retried()
    {
        // GET 0 is the client's probe of /v2/; GET 1 the blob.
        await using var proxy = await FlakyRegistryProxy.StartAsync(registry.Registry.BaseUrl, (method, before) => method == "GET" && before == 1 ? FlakyRegistryProxy.Abort : null);
        using var client = Client();
        var repository = ImageReference.Create(proxy.Address, RegistryTestImages.RepositoryName("reset"));
        var pushed = await client.PushBlobAsync(repository, "read me twice"u8.ToArray());

        var content = await client.GetBlobAsync(repository, pushed.Digest);

        Assert.Equal("read me twice"u8.ToArray(), content);
        Assert.Equal(3, proxy.Count("GET"));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_status_is_reported()
    {
        await using var proxy = await FlakyRegistryProxy.StartAsync(registry.Registry.BaseUrl, (_, _) => 503);
        using var client = Client(maxRetries: 2);
        var repository = ImageReference.Create(proxy.Address, "down");

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync(repository.WithTag("v1")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains($"Registry {proxy.Address} is unavailable", error.Message);
        Assert.Contains("503", error.Message);
        Assert.Contains("gave up after 3 attempts", error.Message);
        Assert.Equal(3, proxy.Count("GET"));
        Assert.Equal(0, proxy.Count("HEAD"));
    }

    [Fact]
    public async Task A_failed_patch_chunk_is_not_sent_again_in_its_session_but_the_upload_restarts_in_a_new_one()
    {
        await using var proxy = await FlakyRegistryProxy.StartAsync(registry.Registry.BaseUrl, (method, _) => method == "PATCH" ? 503 : null);
        using var client = Client(chunkSize: 1024);
        var repository = ImageReference.Create(proxy.Address, RegistryTestImages.RepositoryName("patch"));

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobAsync(repository, RegistryTestImages.Image().Layer));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(5, proxy.Count("PATCH"));
        Assert.Equal(5, proxy.Count("POST"));
        var sessions = proxy.Requests.Where(r => r.StartsWith("PATCH ")).Select(r => r.Split(' ')[1]).Distinct().Count();
        Assert.Equal(5, sessions);
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("starting it again"));
    }

    [Fact]
    public async Task A_502_to_starting_an_upload_is_retried_within_bounds_since_an_orphaned_session_expires()
    {
        await using var proxy = await FlakyRegistryProxy.StartAsync(registry.Registry.BaseUrl, (method, _) => method == "POST" ? 502 : null);
        using var client = Client();
        var repository = ImageReference.Create(proxy.Address, RegistryTestImages.RepositoryName("post"));

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobAsync(repository, "x"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(5, proxy.Count("POST"));
    }

    [Fact]
    public async Task An_unreachable_registry_is_reported_with_its_address()
    {
        using var client = Client(maxRetries: 1);
        var repository = ImageReference.Create($"127.0.0.1:{FreePort.OnLoopback()}", "nowhere");

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(repository));

        Assert.Contains($"Registry {repository.Registry} is unreachable", error.Message);
        Assert.Null(error.StatusCode);
    }
}
