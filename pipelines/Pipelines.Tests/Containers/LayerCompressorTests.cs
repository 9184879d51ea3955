using System.IO.Compression;
using System.Security.Cryptography;
using Pipelines.Containers;

namespace Pipelines.Tests.Containers;

public sealed class LayerCompressorTests
{
    private static readonly byte[] Layer = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7 % 251))];

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public void The_same_bytes_compress_to_the_same_blob_twice(LayerCompression compression)
    {
        var first = LayerCompressor.Compress(Layer, compression);
        var second = LayerCompressor.Compress(Layer, compression);

        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
        Assert.True(first.Length < Layer.Length / 2, $"{compression} left {first.Length} of {Layer.Length} bytes");
    }

    [Fact]
    public void The_gzip_header_carries_no_timestamp_and_no_file_name()
    {
        var blob = LayerCompressor.Compress(Layer, LayerCompression.Gzip);

        // RFC 1952: ID1 ID2 CM FLG MTIME(4) XFL OS. FLG 0: no FNAME, FCOMMENT or FEXTRA; MTIME 0: no time.
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8 }, blob[..3]);
        Assert.Equal(0, blob[3]);
        Assert.Equal(new byte[4], blob[4..8]);
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public void A_blob_decompresses_to_the_layer(LayerCompression compression)
    {
        var blob = LayerCompressor.Compress(Layer, compression);

        Assert.Equal(Layer, Decompress(blob, compression));
    }

    [Fact]
    public async Task A_file_is_compressed_into_a_blob_whose_digest_and_size_are_returned()
    {
        using var folder = new Support.TempDirectory("compress");
        await File.WriteAllBytesAsync(folder.Combine("layer"), Layer);

        var (digest, size) = await LayerCompressor.CompressAsync(folder.Combine("layer"), folder.Combine("blob"), LayerCompression.Zstd, CancellationToken.None);

        var blob = await File.ReadAllBytesAsync(folder.Combine("blob"));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob)), digest);
        Assert.Equal(blob.Length, size);
        Assert.Equal(LayerCompressor.Compress(Layer, LayerCompression.Zstd), blob);
    }

    [Fact]
    public void Each_compression_has_its_OCI_media_type()
    {
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", LayerCompressor.MediaType(LayerCompression.Gzip));
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+zstd", LayerCompressor.MediaType(LayerCompression.Zstd));
        Assert.Equal("application/vnd.oci.image.layer.v1.tar", LayerCompressor.MediaType(LayerCompression.None));
    }

    /// <summary>Decompresses with a reader other than the writer's own where there is one (.NET's gzip reader; ZstdSharp's stream).</summary>
    internal static byte[] Decompress(byte[] blob, LayerCompression compression)
    {
        using var input = new MemoryStream(blob);
        using Stream reader = compression switch
        {
            LayerCompression.Gzip => new GZipStream(input, CompressionMode.Decompress),
            LayerCompression.Zstd => new ZstdSharp.DecompressionStream(input),
            _ => input,
        };
        using var output = new MemoryStream();
        reader.CopyTo(output);
        return output.ToArray();
    }
}
