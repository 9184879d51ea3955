using System.Net;
using System.Text;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>A real registry behind htpasswd Basic auth; credentials from parameters and from Docker's config.json.</summary>
public sealed class RegistryBasicAuthTests : IAsyncLifetime
{
    private const string User = "ci";
    private const string Password = "correct-horse-battery";
    private readonly TempDirectory _dir = new("registry-basic");
    private readonly MemoryLog _log = new();
    private readonly SecretMasker _masker = new();
    private LocalRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        var htpasswd = _dir.Combine("htpasswd");
        await RegistryFixture.CreateHtpasswdAsync(htpasswd, User, Password);
        _registry = await RegistryFixture.StartRegistryAsync(_dir.Combine("storage"), o => o with { HtpasswdPath = htpasswd });
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _dir.Dispose();
    }

    private ImageReference Repository => ImageReference.Create(_registry.Address, "team/app");

    private RegistryClient Client(RegistryCredential? explicitCredential, string? configPath = null) =>
        new(new RegistryClientOptions { MaxRetries = 0 }, new DockerCredentials(configPath ?? _dir.Combine("no-config.json"), explicitCredential, _log, _masker), _log, _masker);

    [Fact]
    public async Task The_right_credentials_from_parameters_push_an_image()
    {
        using var client = Client(DockerCredentials.FromParameters(User, Password));

        var manifest = await RegistryTestImages.PushImageAsync(client, Repository, "v1");

        Assert.Equal(manifest.Digest, await client.ResolveDigestAsync(Repository.WithTag("v1")));
        Assert.Contains(Password, _masker.Values);
    }

    [Fact]
    public async Task Wrong_credentials_fail_naming_their_source_and_push_nothing()
    {
        using var client = Client(DockerCredentials.FromParameters(User, "wrong-password"));
        var (config, _, _) = RegistryTestImages.Image();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobAsync(Repository, config));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains($"Registry {_registry.Address} refused to", error.Message);
        Assert.Contains("username 'ci' from --registry-username", error.Message);
        Assert.DoesNotContain("wrong-password", error.Message);
        using var good = Client(DockerCredentials.FromParameters(User, Password));
        Assert.False(await good.BlobExistsAsync(Repository, Digest.Compute(config)));
        Assert.Empty(await good.ListTagsAsync(Repository));
    }

    [Fact]
    public async Task An_access_check_passes_with_the_right_credentials_and_fails_without()
    {
        using var good = Client(DockerCredentials.FromParameters(User, Password));
        using var anonymous = Client(null);

        await good.CheckAccessAsync(Repository, push: true);
        var error = await Assert.ThrowsAsync<RegistryException>(() => anonymous.CheckAccessAsync(Repository));

        Assert.Contains($"check access to {Repository.RepositoryUrl}", error.Message);
    }

    [Fact]
    public async Task No_credentials_fail_saying_anonymous_and_how_to_log_in()
    {
        using var client = Client(null);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(Repository));

        Assert.Contains("Credential used: anonymous", error.Message);
        Assert.Contains("--registry-username", error.Message);
        Assert.Contains($"docker login {_registry.Address}", error.Message);
    }

    [Fact]
    public async Task An_auths_entry_in_docker_config_is_used_and_named_when_wrong()
    {
        var good = _dir.Combine("good.json");
        var bad = _dir.Combine("bad.json");
        await File.WriteAllTextAsync(good, AuthsConfig(_registry.Address, Password));
        await File.WriteAllTextAsync(bad, AuthsConfig("http://" + _registry.Address + "/v2/", "nope-nope"));
        using var goodClient = Client(null, good);
        using var badClient = Client(null, bad);

        await RegistryTestImages.PushImageAsync(goodClient, Repository, "from-config");
        var error = await Assert.ThrowsAsync<RegistryException>(() => badClient.ListTagsAsync(Repository));

        Assert.Contains("from-config", await goodClient.ListTagsAsync(Repository));
        Assert.Contains($"username 'ci' from the {bad} auths entry for {_registry.Address}", error.Message);
        Assert.DoesNotContain("nope-nope", error.Message);
    }

    [Fact]
    public async Task A_credential_helper_named_in_docker_config_supplies_the_password()
    {
        var helpers = _dir.Combine("bin");
        Directory.CreateDirectory(helpers);
        var stdinCopy = _dir.Combine("helper-stdin");
        await CredentialHelperScript.WriteAsync(helpers, "test", _registry.Address, User, Password, stdinCopy);
        var config = _dir.Combine("helper.json");
        await File.WriteAllTextAsync(config, $"{{\"credHelpers\":{{\"{_registry.Address}\":\"test\"}}}}");
        using var path = CredentialHelperScript.PrependToPath(helpers);
        using var client = Client(null, config);

        await RegistryTestImages.PushImageAsync(client, Repository, "from-helper");

        Assert.Contains("from-helper", await client.ListTagsAsync(Repository));
        Assert.Equal(_registry.Address, (await File.ReadAllTextAsync(stdinCopy)).Trim());
        Assert.DoesNotContain(Password, _log.Text);
    }

    private static string AuthsConfig(string key, string password) =>
        $"{{\"auths\":{{\"{key}\":{{\"auth\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}"))}\"}}}}}}";
}
