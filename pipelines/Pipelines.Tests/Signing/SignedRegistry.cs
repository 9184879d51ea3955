using System.Security.Cryptography;
using System.Text;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Signing;
using Pipelines.Tests.Registry;

namespace Pipelines.Tests.Signing;

/// <summary>
/// Test support over the real registry of a <see cref="RegistryFixture"/>: pushes tiny OCI images straight
/// through the <see cref="RegistryClient"/> (no Docker needed) and rewrites signature manifests to tamper with them.
/// </summary>
internal sealed class SignedRegistry : IDisposable
{
    private readonly RegistryFixture _fixture;

    public SignedRegistry(RegistryFixture fixture)
    {
        _fixture = fixture;
        Client = new RegistryClient(new RegistryClientOptions(), new DockerCredentials(configPath: Path.Combine(Path.GetTempPath(), "no-docker-config", "config.json")), Log);
        Store = new RegistrySignatureStore(Client);
    }

    public MemoryLog Log { get; } = new();
    public RegistryClient Client { get; }
    public ISignatureStore Store { get; }
    public CosignSigner Signer => new(Store, Log);
    public SignatureVerifier Verifier => new(Store);

    /// <summary>A fresh repository per test, so that tests never see each other's signatures.</summary>
    public ImageReference NewRepository() => _fixture.Reference("signing/app-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Pushes a config blob, one random layer and a manifest tagged v1; returns the image by digest.</summary>
    public async Task<ImageReference> PushImageAsync(ImageReference repository)
    {
        var layer = RandomNumberGenerator.GetBytes(64);
        var layerDigest = Digest.Compute(layer);
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]},\"config\":{}}");
        await Client.PushBlobAsync(repository, layer);
        await Client.PushBlobAsync(repository, config);
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.Length + ",\"digest\":\"" + Digest.Compute(config) + "\"}," +
            "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + layer.Length + ",\"digest\":\"" + layerDigest + "\"}]}");
        var raw = RawManifest.FromBytes("application/vnd.oci.image.manifest.v1+json", manifest);
        await Client.PutManifestAsync(repository, raw, "v1");
        return repository.WithoutTagOrDigest().WithDigest(raw.Digest);
    }

    public static ImageReference SignatureTag(ImageReference image, string suffix) =>
        image.WithoutTagOrDigest().WithTag(CosignManifest.TagFor(image.Digest!, suffix));

    public async Task<CosignManifest> ReadAsync(ImageReference tagged) =>
        CosignManifest.Parse((await Store.GetManifestAsync(tagged, CancellationToken.None))!);

    /// <summary>Replaces the manifest at a tag with <paramref name="manifest"/>, pushing <paramref name="blobs"/> first.</summary>
    public async Task WriteAsync(ImageReference tagged, CosignManifest manifest, params byte[][] blobs)
    {
        foreach (var blob in blobs) await Store.PushBlobAsync(tagged, blob, CancellationToken.None);
        var config = manifest.RenderConfig();
        await Store.PushBlobAsync(tagged, config, CancellationToken.None);
        await Store.PutManifestAsync(tagged, manifest.RenderManifest(config), CosignManifest.MediaType, CancellationToken.None);
    }

    public void Dispose() => Client.Dispose();
}
