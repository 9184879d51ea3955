using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Processes;
using Pipelines.Registry;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Docker;

/// <summary>Pushing through the Docker engine to a real registry that requires htpasswd Basic auth, and to one that is not there.</summary>
public sealed class RegistryAuthSpecs : IAsyncLifetime
{
    private const string User = "ci";
    private readonly string _password = Guid.NewGuid().ToString("N");
    private readonly TempDirectory _directory = new("registry-auth");
    private readonly MemoryLog _log = new();
    private readonly DockerEngine _docker;
    private LocalRegistry? _registry;
    private string _image = "";

    public RegistryAuthSpecs() => _docker = new DockerEngine(DockerEndpoint.FromEnvironment(), _log);

    public async Task InitializeAsync()
    {
        // The password goes through stdin, never the command line.
        var htpasswd = _directory.Combine("htpasswd");
        var created = await new Command("htpasswd").WithArguments("-c", "-i", "-B", htpasswd, User).WithStandardInput(_password)
            .WithOutput(OutputMode.Quiet).ExecuteAsync(_log);
        created.EnsureSuccess();
        _registry = await RegistryFixture.StartRegistryAsync(_directory.Combine("storage"), o => o with { HtpasswdPath = htpasswd });

        var context = Directory.CreateDirectory(_directory.Combine("context")).FullName;
        File.WriteAllText(Path.Combine(context, "data.txt"), Guid.NewGuid().ToString());
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM scratch\nCOPY data.txt /data.txt\n");
        _image = $"{_registry.Address}/auth-test";
        await _docker.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(context, "Dockerfile")) { Tags = [$"{_image}:v1"] });
    }

    [Fact]
    public async Task The_right_credentials_push()
    {
        var pushed = await _docker.PushImageAsync(_image, "v1", RegistryCredential.Basic(User, _password, $"username '{User}'"));

        Assert.Equal(pushed.Digest, await RegistryProbe.ManifestDigestAsync(_registry!.Address, "auth-test", "v1", User, _password));
    }

    [Fact]
    public async Task Wrong_credentials_fail_clearly_and_push_nothing()
    {
        var error = await Assert.ThrowsAsync<DockerStreamException>(() =>
            _docker.PushImageAsync(_image, "v1", RegistryCredential.Basic(User, "wrong-password", $"username '{User}'")));

        Assert.Contains($"The push of {_image}:v1 to {_registry!.Address} as username '{User}' failed", error.Message);
        Assert.Contains("--registry-username", error.Message);
        Assert.DoesNotContain("wrong-password", error.Message);
        Assert.Null(await RegistryProbe.ManifestDigestAsync(_registry.Address, "auth-test", "v1", User, _password));
    }

    [Fact]
    public async Task A_push_to_a_registry_that_does_not_answer_names_the_registry_and_the_fix()
    {
        var dead = $"127.0.0.1:{FreePort.OnLoopback()}/auth-test";
        await _docker.TagImageAsync($"{_image}:v1", dead, "v1");
        try
        {
            var error = await Assert.ThrowsAsync<DockerStreamException>(() =>
                _docker.PushImageAsync(dead, "v1", RegistryCredential.Anonymous()));

            Assert.Contains($"The push of {dead}:v1 to {dead.Split('/')[0]} as anonymous failed", error.Message);
            Assert.Contains("connection refused", error.Message);
            Assert.Contains("Check that the registry runs and --registry names it.", error.Message);
        }
        finally
        {
            await _docker.RemoveImageAsync($"{dead}:v1");
        }
    }

    public async Task DisposeAsync()
    {
        await _docker.RemoveImageAsync($"{_image}:v1", force: true);
        if (_registry is not null) await _registry.DisposeAsync();
        _docker.Dispose();
        _directory.Dispose();
    }
}
