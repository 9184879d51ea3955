using System.Text;
using Pipelines.Oci;
using Pipelines.Registry;

namespace Pipelines.Tests.Registry;

/// <summary>Small images and artifacts built in memory for registry tests.</summary>
internal static class RegistryTestImages
{
    /// <summary>A config and one layer of random bytes, and an OCI manifest naming them.</summary>
    public static (byte[] Config, byte[] Layer, RawManifest Manifest) Image(string mediaType = MediaTypes.OciManifest)
    {
        var layer = Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 3000);
        var docker = mediaType == MediaTypes.DockerManifest;
        var config = Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{Digest.Compute(layer)}\"]}},\"config\":{{}}}}");
        var manifest = RawManifest.From(new OciManifest
        {
            MediaType = mediaType,
            Config = Descriptor.For(docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig, config),
            Layers = [Descriptor.For(docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip, layer)],
        });
        return (config, layer, manifest);
    }

    /// <summary>Pushes <see cref="Image"/>'s blobs and manifest under <paramref name="tag"/>.</summary>
    public static async Task<RawManifest> PushImageAsync(RegistryClient client, ImageReference repository, string tag, string mediaType = MediaTypes.OciManifest)
    {
        var (config, layer, manifest) = Image(mediaType);
        await client.PushBlobAsync(repository, config);
        await client.PushBlobAsync(repository, layer);
        await client.PutManifestAsync(repository, manifest, tag);
        return manifest;
    }

    /// <summary>A random repository name, so tests sharing a registry never see each other's content.</summary>
    public static string RepositoryName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
