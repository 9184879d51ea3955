using Pipelines.Containers;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

/// <summary>
/// The kept-image record is written after the image is pushed: a disk that fills up while writing it costs a rebuild
/// next time, never the Containerize that pushed, and leaves nothing behind.
/// </summary>
public sealed class UnchangedImagesTests : IDisposable
{
    private readonly TempDirectory _cache = new("kept-images");
    private readonly MemoryLog _log = new();

    public void Dispose() => _cache.Dispose();

    private static BuiltImage Image(string digestHex) =>
        new("127.0.0.1:5000/orders", ["abc1234", "main"], "sha256:" + new string(digestHex[0], 64), "sha256:" + new string('f', 64));

    [Fact]
    public void A_full_disk_while_writing_the_record_is_a_warning_that_leaves_no_temporary_file_and_keeps_the_earlier_record()
    {
        new UnchangedImages(_cache.Path, _log).Save("orders", "key-1", Image("a"));
        var earlier = File.ReadAllText(Path.Combine(_cache.Path, "orders.json"));
        var full = new UnchangedImages(_cache.Path, _log, (path, text) =>
        {
            // What a full disk does: part of the file is written, then the write fails.
            File.WriteAllText(path, text[..(text.Length / 2)]);
            throw new IOException("No space left on device");
        });

        full.Save("orders", "key-2", Image("b"));

        Assert.Equal(["orders.json"], Directory.GetFiles(_cache.Path).Select(Path.GetFileName));
        Assert.Equal(earlier, File.ReadAllText(Path.Combine(_cache.Path, "orders.json")));
        var warning = Assert.Single(_log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains("orders: could not keep the record of its image in", warning.Message);
        Assert.Contains("No space left on device", warning.Message);
    }
}
