using System.Net;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>The real registry configured with <c>auth: token</c>, and a token service in the test issuing its JWTs.</summary>
public sealed class RegistryTokenAuthTests : IAsyncLifetime
{
    private const string User = "robot";
    private const string Password = "token-pass-123";
    private readonly TempDirectory _dir = new("registry-token");
    private readonly MemoryLog _log = new();
    private readonly SecretMasker _masker = new();
    private TokenServer _tokens = null!;
    private LocalRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _tokens = await TokenServer.StartAsync(_dir.Path, User, Password);
        _registry = await RegistryFixture.StartRegistryAsync(_dir.Combine("storage"), o => o with
        {
            TokenAuth = new LocalRegistryTokenAuth(_tokens.Realm, TokenServer.Service, TokenServer.Issuer, _tokens.RootCertBundlePath),
        });
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _tokens.DisposeAsync();
        _dir.Dispose();
    }

    private ImageReference Repository(string name = "team/app") => ImageReference.Create(_registry.Address, name);

    private RegistryClient Client(string? password) =>
        new(new RegistryClientOptions { MaxRetries = 0 },
            new DockerCredentials(_dir.Combine("none.json"), password is null ? null : DockerCredentials.FromParameters(User, password), _log, _masker),
            _log, _masker);

    [Fact]
    public async Task A_push_gets_one_bearer_token_per_repository_scope_and_reuses_it()
    {
        using var client = Client(Password);

        var manifest = await RegistryTestImages.PushImageAsync(client, Repository(), "v1");
        var tags = await client.ListTagsAsync(Repository());

        Assert.Equal(["v1"], tags);
        Assert.Equal(manifest.Digest, await client.ResolveDigestAsync(Repository().WithTag("v1")));
        var requests = _tokens.Requests.ToList();
        Assert.Equal(1, requests.Count(r => r == (User, "repository:team/app:pull,push")));
        Assert.Equal(1, requests.Count(r => r == (User, "repository:team/app:pull")));
        Assert.Equal(2, requests.Count);
        Assert.DoesNotContain(Password, _log.Text);
    }

    [Fact]
    public async Task A_mount_asks_for_pull_on_the_source_repository_too()
    {
        using var client = Client(Password);
        var pushed = await client.PushBlobAsync(Repository("team/base"), "base layer"u8.ToArray());

        var mounted = await client.PushBlobAsync(Repository("team/app"), pushed.Digest, pushed.Size, () => new MemoryStream("base layer"u8.ToArray()), mountFrom: "team/base");

        Assert.Equal(BlobPushOutcome.Mounted, mounted.Outcome);
        Assert.Contains((User, "repository:team/app:pull,push repository:team/base:pull"), _tokens.Requests);
    }

    [Fact]
    public async Task An_identity_token_from_docker_config_is_exchanged_for_an_access_token()
    {
        var config = _dir.Combine("identity.json");
        await File.WriteAllTextAsync(config, $"{{\"auths\":{{\"{_registry.Address}\":{{\"identitytoken\":\"{TokenServer.RefreshToken}\"}}}}}}");
        using var client = new RegistryClient(new RegistryClientOptions { MaxRetries = 0 }, new DockerCredentials(config, null, _log, _masker), _log, _masker);

        await client.CheckAccessAsync(Repository(), push: true);
        var pushed = await client.PushBlobAsync(Repository(), "via refresh token"u8.ToArray());

        Assert.Equal(BlobPushOutcome.UploadedMonolithic, pushed.Outcome);
        Assert.Contains((User + " (refresh token)", "repository:team/app:pull,push"), _tokens.Requests);
        Assert.Contains(TokenServer.RefreshToken, _masker.Values);
    }

    [Fact]
    public async Task A_token_without_push_rights_fails_saying_the_permission_is_missing()
    {
        _tokens.PullOnly["team/readonly"] = true;
        using var client = Client(Password);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobAsync(Repository("team/readonly"), "denied"u8.ToArray()));

        Assert.Contains("lacks push permission on team/readonly", error.Message);
        Assert.Contains("username 'robot' from --registry-username", error.Message);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_by_the_token_service_naming_the_credential_source()
    {
        using var client = Client("not-the-password");

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobAsync(Repository(), "x"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("token service", error.Message);
        Assert.Contains("invalid username or password", error.Message);
        Assert.Contains("username 'robot' from --registry-username", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
    }

    [Fact]
    public async Task An_anonymous_token_without_access_is_refused_saying_anonymous()
    {
        using var client = Client(null);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(Repository()));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("Credential used: anonymous", error.Message);
        Assert.Contains(("anonymous", "repository:team/app:pull"), _tokens.Requests);
    }
}
