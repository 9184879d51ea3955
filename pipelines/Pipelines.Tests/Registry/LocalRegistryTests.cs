using System.Net;
using Pipelines.Processes;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

public class LocalRegistryTests
{
    [Fact]
    public async Task A_started_registry_answers_v2_on_loopback_and_stops_when_disposed()
    {
        using var storage = new TempDirectory("registry");
        var registry = await RegistryFixture.StartRegistryAsync(storage.Path);
        using var http = new HttpClient();

        using (var response = await http.GetAsync(new Uri(registry.BaseUrl, "/v2/")))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("127.0.0.1:", registry.Address);
        Assert.Contains("rootdirectory: " + storage.Path, await File.ReadAllTextAsync(registry.ConfigPath));

        await registry.DisposeAsync();

        Assert.False(registry.IsRunning);
        Assert.False(await LocalRegistry.AnswersAsync(registry.BaseUrl));
    }

    [Fact]
    public async Task A_registry_with_htpasswd_challenges_anonymous_clients()
    {
        using var storage = new TempDirectory("registry");
        var htpasswd = storage.Combine("htpasswd");
        await RegistryFixture.CreateHtpasswdAsync(htpasswd, "ci", "s3cret-pass");
        await using var registry = await RegistryFixture.StartRegistryAsync(storage.Combine("data"), o => o with { HtpasswdPath = htpasswd });
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(registry.BaseUrl, "/v2/"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("s3cret-pass", await File.ReadAllTextAsync(htpasswd));
    }

    [Fact]
    public async Task A_port_already_taken_is_refused_before_anything_starts()
    {
        using var storage = new TempDirectory("registry");
        await using var first = await RegistryFixture.StartRegistryAsync(storage.Combine("a"));

        var error = await Assert.ThrowsAsync<PipelineException>(() => LocalRegistry.StartAsync(
            new LocalRegistryOptions { StorageDirectory = storage.Combine("b"), Port = first.Options.Port, StartTimeout = TimeSpan.FromSeconds(30) }));

        // The first registry answers /v2/ on that port: the second start must not pass for a success.
        Assert.Contains("address already in use", error.Message);
    }

    [Fact]
    public async Task A_missing_binary_is_reported_with_how_to_install_it()
    {
        using var storage = new TempDirectory("registry");

        var error = await Assert.ThrowsAsync<ToolNotFoundException>(() => LocalRegistry.StartAsync(
            new LocalRegistryOptions { StorageDirectory = storage.Path, Executable = storage.Combine("no-such-registry"), Port = LocalRegistry.FindFreePort() }));

        Assert.Contains("no-such-registry", error.Message);
    }

    [Fact]
    public void The_config_names_storage_address_auth_and_enables_deletes()
    {
        var yaml = LocalRegistry.RenderConfig(new LocalRegistryOptions
        {
            StorageDirectory = "/tmp/store dir", Port = 5123, HtpasswdPath = "/tmp/auth/htpasswd", HtpasswdRealm = "realm-x",
        });

        Assert.Contains("version: 0.1", yaml);
        Assert.Contains("rootdirectory: /tmp/store dir", yaml);
        Assert.Contains("addr: 127.0.0.1:5123", yaml);
        Assert.Contains("realm: realm-x", yaml);
        Assert.Contains("path: /tmp/auth/htpasswd", yaml);
        Assert.Matches(@"delete:\s+enabled: true", yaml);
    }
}
