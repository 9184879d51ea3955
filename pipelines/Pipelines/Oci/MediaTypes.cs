namespace Pipelines.Oci;

/// <summary>The manifest and blob media types the toolkit reads and writes.</summary>
internal static class MediaTypes
{
    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index (multi-platform, referrers lists).</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>OCI image config.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>The OCI 1.1 empty config (<c>{}</c>) for artifacts.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    /// <summary>OCI gzip layer.</summary>
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>Docker image manifest v2 schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker manifest list (multi-platform).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Docker image config.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>Docker gzip layer.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>Every manifest type accepted when fetching, in order of preference (sent as <c>Accept</c>).</summary>
    public static readonly IReadOnlyList<string> Manifests = [OciManifest, OciIndex, DockerManifest, DockerManifestList];

    /// <summary>True for an index or a manifest list (a manifest that lists manifests).</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>True for a single-image manifest (OCI or Docker schema 2).</summary>
    public static bool IsImageManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;
}
