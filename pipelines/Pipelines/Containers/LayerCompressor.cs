using System.IO.Compression;
using System.Security.Cryptography;
using Pipelines.Oci;
using ZstdSharp;

namespace Pipelines.Containers;

/// <summary>
/// Compresses one uncompressed layer into the blob that is pushed. The output depends on the bytes alone (a fixed level;
/// .NET's gzip header carries no file name and a zero MTIME), so an unchanged layer compresses to the same blob and the
/// registry's copy is found again.
/// </summary>
internal static class LayerCompressor
{
    /// <summary>zstd's default level, what containerd and BuildKit use.</summary>
    private const int ZstdLevel = 3;

    /// <summary>The media type of a layer compressed with <paramref name="compression"/>.</summary>
    public static string MediaType(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => MediaTypes.OciLayerGzip,
        LayerCompression.Zstd => MediaTypes.OciLayerZstd,
        LayerCompression.None => MediaTypes.OciLayer,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown layer compression."),
    };

    /// <summary>Compresses <paramref name="source"/> into <paramref name="target"/> and returns the blob's digest and size.</summary>
    public static async Task<(string Digest, long Size)> CompressAsync(string source, string target, LayerCompression compression, CancellationToken cancellationToken)
    {
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var compressor = Compressing(output, compression))
            await input.CopyToAsync(compressor, 1 << 20, cancellationToken);
        return (await DigestOfAsync(target, cancellationToken), new FileInfo(target).Length);
    }

    /// <summary>Compresses <paramref name="data"/> in memory (tests and small layers).</summary>
    public static byte[] Compress(byte[] data, LayerCompression compression)
    {
        using var output = new MemoryStream();
        using (var compressor = Compressing(output, compression)) compressor.Write(data);
        return output.ToArray();
    }

    private static Stream Compressing(Stream output, LayerCompression compression) => compression switch
    {
        // Optimal is zlib's level 6, Go's default and so docker push's.
        LayerCompression.Gzip => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
        LayerCompression.Zstd => new CompressionStream(output, ZstdLevel, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Only gzip and zstd compress."),
    };

    private static async Task<string> DigestOfAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
