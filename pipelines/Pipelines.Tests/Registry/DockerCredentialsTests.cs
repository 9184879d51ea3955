using System.Text;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Processes;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

public sealed class DockerCredentialsTests : IDisposable
{
    private readonly TempDirectory _dir = new("docker-credentials");
    private readonly SecretMasker _masker = new();

    public void Dispose() => _dir.Dispose();

    private async Task<DockerCredentials> ConfigAsync(string json, RegistryCredential? explicitCredential = null)
    {
        var path = _dir.Combine("config.json");
        await File.WriteAllTextAsync(path, json);
        return new DockerCredentials(path, explicitCredential, new MemoryLog(), _masker);
    }

    private static string AuthsJson(string key, string user, string password) =>
        "{\"auths\":{\"" + key + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) + "\"}}}";

    [Fact]
    public async Task An_auths_entry_with_base64_auth_gives_username_and_password()
    {
        var credentials = await ConfigAsync(AuthsJson("127.0.0.1:5000", "ci", "p:ss:word"));

        var found = await credentials.FindAsync("127.0.0.1:5000");

        Assert.Equal("ci", found.Username);
        Assert.Equal("p:ss:word", found.Password);
        Assert.Contains("auths entry for 127.0.0.1:5000", found.Source);
        Assert.DoesNotContain("p:ss:word", found.ToString());
        Assert.Contains("p:ss:word", _masker.Values);
    }

    [Fact]
    public async Task An_auths_entry_keyed_by_url_matches_its_host()
    {
        var credentials = await ConfigAsync("""{"auths":{"https://registry.cn-hangzhou.aliyuncs.com/v2/":{"username":"u","password":"pw1"}}}""");

        var found = await credentials.FindAsync("registry.cn-hangzhou.aliyuncs.com");

        Assert.Equal(("u", "pw1"), (found.Username, found.Password));
    }

    [Fact]
    public async Task Docker_hub_uses_the_legacy_index_key()
    {
        var credentials = await ConfigAsync(AuthsJson("https://index.docker.io/v1/", "hubuser", "hubpass"));

        var found = await credentials.FindAsync(ImageReference.Parse("nginx").Registry);

        Assert.Equal("hubuser", found.Username);
    }

    [Fact]
    public async Task An_identity_token_is_kept_as_a_refresh_token()
    {
        var credentials = await ConfigAsync("""{"auths":{"myreg.azurecr.io":{"auth":"","identitytoken":"refresh-abc"}}}""");

        var found = await credentials.FindAsync("myreg.azurecr.io");

        Assert.Equal("refresh-abc", found.IdentityToken);
        Assert.Null(found.Username);
        Assert.False(found.IsAnonymous);
    }

    [Fact]
    public async Task Explicit_credentials_win_over_the_config()
    {
        var credentials = await ConfigAsync(AuthsJson("127.0.0.1:5000", "config", "x"),
            DockerCredentials.FromParameters("param", "secret-param"));

        var found = await credentials.FindAsync("127.0.0.1:5000");

        Assert.Equal("username 'param' from --registry-username", found.Source);
        Assert.Contains("secret-param", _masker.Values);
    }

    [Fact]
    public void A_username_without_password_is_refused()
    {
        var error = Assert.Throws<PipelineException>(() => DockerCredentials.FromParameters("ci", ""));

        Assert.Contains("--registry-password", error.Message);
        Assert.Null(DockerCredentials.FromParameters(null, null));
    }

    [Fact]
    public async Task No_config_file_means_anonymous_and_says_so()
    {
        var credentials = new DockerCredentials(_dir.Combine("missing.json"));

        var found = await credentials.FindAsync("127.0.0.1:5000");

        Assert.True(found.IsAnonymous);
        Assert.StartsWith("anonymous (no --registry-username and no ", found.Source);
    }

    [Fact]
    public async Task A_host_without_an_entry_is_anonymous_naming_the_config()
    {
        var credentials = await ConfigAsync("""{"auths":{"other:5000":{"auth":"eDp5"}}}""");

        var found = await credentials.FindAsync("127.0.0.1:5000");

        Assert.True(found.IsAnonymous);
        Assert.Contains("no entry for 127.0.0.1:5000 in", found.Source);
    }

    [Fact]
    public async Task A_broken_config_file_is_reported()
    {
        var credentials = await ConfigAsync("{ not json");

        var error = await Assert.ThrowsAsync<PipelineException>(() => credentials.FindAsync("127.0.0.1:5000"));

        Assert.Contains("is not valid JSON", error.Message);
    }

    [Fact]
    public async Task A_creds_store_answering_not_found_means_anonymous_and_a_helper_token_is_an_identity_token()
    {
        var bin = _dir.Combine("bin");
        Directory.CreateDirectory(bin);
        await CredentialHelperScript.WriteAsync(bin, "store", "myreg.example.com", "<token>", "refresh-from-helper", _dir.Combine("stdin"));
        var credentials = await ConfigAsync("""{"credsStore":"store"}""");
        using var path = CredentialHelperScript.PrependToPath(bin);

        var known = await credentials.FindAsync("myreg.example.com");
        var unknown = await credentials.FindAsync("127.0.0.1:5000");

        Assert.Equal("refresh-from-helper", known.IdentityToken);
        Assert.Contains("docker-credential-store", known.Source);
        Assert.True(unknown.IsAnonymous);
        Assert.Contains("has no credentials for 127.0.0.1:5000", unknown.Source);
    }

    [Fact]
    public async Task A_missing_credential_helper_is_reported_with_the_config_entry()
    {
        var credentials = await ConfigAsync("""{"credHelpers":{"127.0.0.1:5000":"nonexistent-helper-xyz"}}""");

        var error = await Assert.ThrowsAsync<ToolNotFoundException>(() => credentials.FindAsync("127.0.0.1:5000"));

        Assert.Contains("docker-credential-nonexistent-helper-xyz", error.Message);
        Assert.Contains("credHelpers entry for 127.0.0.1:5000", error.Message);
    }
}
