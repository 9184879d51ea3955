using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>Protocol rules checked without auth: plain HTTP only where allowed, tag pagination, registry error bodies.</summary>
public sealed class RegistryProtocolTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly TempDirectory _home = new("docker-config");
    private readonly MemoryLog _log = new();

    public void Dispose() => _home.Dispose();

    private RegistryClient Client(RegistryClientOptions? options = null, HttpMessageHandler? handler = null) =>
        new(options ?? new RegistryClientOptions { MaxRetries = 0 }, new DockerCredentials(_home.Combine("config.json")), _log, null, handler);

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("10.0.0.5:5000", false)]
    [InlineData("registry.cn-hangzhou.aliyuncs.com", false)]
    [InlineData("docker.io", false)]
    [InlineData("registry.test:5000", true)]
    [InlineData("build-cache.internal", true)]
    [InlineData("build-cache.internal:8080", true)]
    public void Plain_http_is_used_only_for_loopback_and_listed_insecure_registries(string host, bool plain)
    {
        using var client = Client(new RegistryClientOptions { InsecureRegistries = ["registry.test:5000", "build-cache.internal"] });

        Assert.Equal(plain, client.IsPlainHttp(host));
        Assert.Equal(plain ? "http" : "https", client.BaseUri(host).Scheme);
    }

    [Fact]
    public void Docker_hub_is_reached_at_its_api_host()
    {
        using var client = Client();

        Assert.Equal("https://registry-1.docker.io/v2/", client.BaseUri("docker.io").ToString());
    }

    [Fact]
    public async Task A_non_loopback_registry_gets_tls_unless_listed_as_insecure()
    {
        // "registry.test" resolves nowhere; the handler dials the real (plain HTTP) loopback registry for it.
        var port = registry.Registry.Options.Port;
        SocketsHttpHandler Dialer() => new()
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var repository = ImageReference.Parse($"registry.test:{port}/team/app");
        using var strict = Client(handler: Dialer());
        using var relaxed = Client(new RegistryClientOptions { MaxRetries = 0, InsecureRegistries = [$"registry.test:{port}"] }, Dialer());

        var error = await Assert.ThrowsAsync<RegistryException>(() => strict.ListTagsAsync(repository));
        var tags = await relaxed.ListTagsAsync(repository);

        Assert.Contains($"https://registry.test:{port}/v2/", error.Message);
        Assert.Contains("--insecure-registries", error.Message);
        Assert.Empty(tags);
    }

    [Fact]
    public async Task Tags_are_followed_across_link_pages()
    {
        var all = new[] { "a", "b", "c", "d", "e" };
        await using var fake = await FakeServer.StartAsync(app => AsRegistry(app).MapGet("/v2/team/app/tags/list", (HttpContext context) =>
        {
            var n = int.Parse(context.Request.Query["n"].FirstOrDefault() ?? "100");
            var last = context.Request.Query["last"].FirstOrDefault();
            var page = all.Where(t => last is null || string.CompareOrdinal(t, last) > 0).Take(n).ToArray();
            if (page.Length > 0 && page[^1] != all[^1])
                context.Response.Headers.Link = $"</v2/team/app/tags/list?n={n}&last={page[^1]}>; rel=\"next\"";
            return Results.Json(new { name = "team/app", tags = page });
        }));
        using var client = Client();

        var tags = await client.ListTagsAsync(ImageReference.Create(fake.Address, "team/app"), pageSize: 2);

        Assert.Equal(all, tags);
        Assert.Equal(3, _log.Lines.Count(l => l.Message.StartsWith("GET ") && l.Message.Contains("/tags/list")));
    }

    [Fact]
    public async Task A_registry_error_body_is_shown_in_the_message()
    {
        await using var fake = await FakeServer.StartAsync(app => AsRegistry(app).MapGet("/v2/team/app/manifests/v1", () =>
            Results.Json(new { errors = new[] { new { code = "TOOMANYREQUESTS", message = "pull rate limit exceeded for this IP" } } }, statusCode: 400)));
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(ImageReference.Create(fake.Address, "team/app", "v1")));

        Assert.Contains($"Registry {fake.Address} answered 400 Bad Request to fetch manifest {fake.Address}/team/app:v1: TOOMANYREQUESTS: pull rate limit exceeded for this IP.", error.Message);
        Assert.True(error.HasCode("TOOMANYREQUESTS"));
    }

    [Fact]
    public async Task A_403_is_not_retried_and_says_the_permission_is_missing()
    {
        var calls = 0;
        await using var fake = await FakeServer.StartAsync(app => AsRegistry(app).MapGet("/v2/team/app/tags/list", () =>
        {
            Interlocked.Increment(ref calls);
            return Results.Json(new { errors = new[] { new { code = "DENIED", message = "requested access to the resource is denied" } } }, statusCode: 403);
        }));
        using var client = Client(new RegistryClientOptions { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(1) });

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(ImageReference.Create(fake.Address, "team/app")));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("403 Forbidden: DENIED: requested access to the resource is denied", error.Message);
        Assert.Contains("lacks pull permission on team/app", error.Message);
        Assert.Contains("Credential used: anonymous", error.Message);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_manifest_whose_bytes_do_not_match_the_reported_digest_is_rejected()
    {
        var reported = Digest.Compute("something else"u8);
        await using var fake = await FakeServer.StartAsync(app => AsRegistry(app).MapGet("/v2/team/app/manifests/v1", (HttpContext context) =>
        {
            context.Response.Headers["Docker-Content-Digest"] = reported;
            return Results.Text("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}", MediaTypes.OciManifest);
        }));
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(ImageReference.Create(fake.Address, "team/app", "v1")));

        Assert.Contains($"Docker-Content-Digest says {reported}", error.Message);
    }

    [Fact]
    public async Task A_registry_with_the_referrers_api_is_asked_directly()
    {
        var subject = Digest.Compute("subject"u8);
        var sbom = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute("sbom"u8), Size = 4, ArtifactType = "application/spdx+json" };
        var sig = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute("sig"u8), Size = 3, ArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json" };
        await using var fake = await FakeServer.StartAsync(app => AsRegistry(app).MapGet($"/v2/team/app/referrers/{subject}", () =>
            Results.Bytes(OciJson.Serialize(new OciIndex { Manifests = [sbom, sig] }), MediaTypes.OciIndex)));
        using var client = Client();

        var all = await client.GetReferrersAsync(ImageReference.Create(fake.Address, "team/app"), subject);
        var sboms = await client.GetReferrersAsync(ImageReference.Create(fake.Address, "team/app"), subject, "application/spdx+json");

        Assert.False(all.FromFallbackTag);
        Assert.Equal([sbom, sig], all.Manifests);
        Assert.Equal([sbom], sboms.Manifests);
    }
    /// <summary>A fake registry answers <c>GET /v2/</c> with 200, as the client's probe expects of a registry.</summary>
    private static WebApplication AsRegistry(WebApplication app)
    {
        app.MapGet("/v2/", () => Results.Ok());
        return app;
    }
}
