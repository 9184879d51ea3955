using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Signing;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

/// <summary>
/// Containerize, Sign and Verify through a proxy that fails every third request (503 or a reset connection) or one
/// request in three at random (fixed seed), in front of the real registry, with the real Docker engine.
/// </summary>
public sealed class FaultProxyPipelineTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly TempDirectory _home = new("docker-config");
    private readonly TempDirectory _repository = new("chaos-repo");
    private readonly MemoryLog _log = new();

    public void Dispose()
    {
        _home.Dispose();
        _repository.Dispose();
    }

    [Theory]
    [InlineData("503:3")]
    [InlineData("reset:3")]
    [InlineData("random:3:1806")]
    public async Task Containerize_sign_and_verify_succeed_through_a_registry_that_fails_one_request_in_three(string mode)
    {
        await using var proxy = await FlakyRegistryProxy.StartAsync(registry.Registry.BaseUrl, mode);
        using var client = new RegistryClient(
            new RegistryClientOptions { RetryDelay = TimeSpan.FromMilliseconds(20), MaxRetryDelay = TimeSpan.FromMilliseconds(200) },
            new DockerCredentials(_home.Combine("config.json")), _log);
        using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), _log);
        await CreateImageSourceAsync();
        var options = new ContainerizeOptions
        {
            RootDirectory = _repository.Path,
            Registry = proxy.Address,
            ImageName = "chaos/" + mode.Replace(':', '-'),
            Dockerfile = "Dockerfile",
            Context = ".",
            Project = null,
        };

        var built = await new ImageBuilder(docker, _log, registry: client).BuildAsync(options);
        try
        {
            var image = ImageReference.Parse(built.Reference);
            using var key = SigningKey.Generate();
            var store = new RegistrySignatureStore(client);
            await new CosignSigner(store, _log).SignAsync(image, key, null, CancellationToken.None);
            var verified = await new SignatureVerifier(store).VerifyAsync(image, key.PublicKey, VerificationPolicy.SignatureOnly, CancellationToken.None);

            Assert.True(verified.Verified, verified.Summary);
            using var direct = new RegistryClient(new RegistryClientOptions(), new DockerCredentials(_home.Combine("config.json")), new MemoryLog());
            foreach (var tag in built.Tags)
                Assert.Equal(built.Digest, await direct.ResolveDigestAsync(registry.Reference(image.Repository, tag)));
            Assert.True(proxy.Faults >= 3, $"the proxy injected {proxy.Faults} fault(s):\n{string.Join('\n', proxy.Requests)}");
        }
        finally
        {
            foreach (var tag in built.Tags) await docker.RemoveImageAsync($"{built.Repository}:{tag}", force: true);
        }
    }

    /// <summary>A FROM-scratch image with two layers of fresh random content, in a git repository (tags come from its commit).</summary>
    private async Task CreateImageSourceAsync()
    {
        await File.WriteAllTextAsync(_repository.Combine("Dockerfile"), "FROM scratch\nCOPY one.bin /one.bin\nCOPY two.bin /two.bin\n");
        await File.WriteAllBytesAsync(_repository.Combine("one.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000));
        await File.WriteAllBytesAsync(_repository.Combine("two.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(1000));
        await TestGit.RunAsync(_repository.Path, ["init", "-q", "-b", "main"], _log);
        await TestGit.RunAsync(_repository.Path, ["add", "-A"], _log);
        await TestGit.RunAsync(_repository.Path, ["commit", "-q", "-m", "chaos image"], _log);
    }
}
