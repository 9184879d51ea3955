namespace Pipelines.Containers;

/// <summary>How Containerize compresses the layers it pushes through the toolkit's registry client.</summary>
public enum LayerCompression
{
    /// <summary>gzip (<c>application/vnd.oci.image.layer.v1.tar+gzip</c>): what <c>docker push</c> sends; every runtime pulls it.</summary>
    Gzip,

    /// <summary>zstd (<c>application/vnd.oci.image.layer.v1.tar+zstd</c>): smaller and faster to unpack; pulled by containerd 1.5 and later (so current Kubernetes nodes, ACK included) and Docker 23 and later.</summary>
    Zstd,

    /// <summary>Uncompressed (<c>application/vnd.oci.image.layer.v1.tar</c>): the most bytes, the least CPU; for a loopback registry.</summary>
    None,
}
