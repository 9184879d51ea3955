using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using Pipelines.Containers;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

/// <summary>
/// When the daemon's export breaks off mid-way, the push has failed: the uploads already started are cancelled at once
/// and the export's error is what the caller sees, rather than the push waiting for (or finishing) blobs it cannot use.
/// </summary>
public sealed class ImagePusherFaultTests : IDisposable
{
    private readonly TempDirectory _home = new("pusher-faults");
    private readonly MemoryLog _log = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_failed_export_cancels_the_uploads_already_started_at_once()
    {
        var layer = RandomNumberGenerator.GetBytes(4096);
        var layerDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer));
        var configDigest = "sha256:" + new string('c', 64);
        var registry = new StallingRegistry();
        using var client = new RegistryClient(new RegistryClientOptions { MaxRetries = 0 }, new DockerCredentials(_home.Combine("config.json")), _log, handler: registry);
        var pusher = new ImagePusher(client, _log);
        var request = new ImagePushRequest(ImageReference.Parse("127.0.0.1:5999/faults"), ["v1"], configDigest, [layerDigest],
            _ => Task.FromResult<Stream>(new BreakingStream(TarWith("blobs/sha256/" + layerDigest["sha256:".Length..], layer), registry.UploadStarted)))
        {
            Compression = LayerCompression.None,
        };

        var push = pusher.PushAsync(request);
        var finished = await Task.WhenAny(push, Task.Delay(TimeSpan.FromSeconds(30)));

        var seen = $"requests: {string.Join(", ", registry.Requests)}; log: {_log.Text}";
        Assert.True(finished == push, "the push still waits for the upload after its export failed; " + seen);
        var error = await Record.ExceptionAsync(() => push);
        Assert.True(error is IOException, $"{error}; {seen}");
        Assert.Contains("export broke off", error.Message);
        Assert.True(registry.UploadCancelled.Task.IsCompletedSuccessfully, "the running upload was not cancelled");
    }

    /// <summary>The start of a tarball: one entry, as <c>docker save</c>'s OCI layout names a blob, and no end-of-archive blocks.</summary>
    private static byte[] TarWith(string name, byte[] content)
    {
        using var buffer = new MemoryStream();
        var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true);
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        // Taken before Dispose writes the blocks that end an archive: that is where the export breaks off.
        var entry = buffer.ToArray();
        writer.Dispose();
        Assert.Equal(512 + content.Length, entry.Length);
        return entry;
    }

    /// <summary>Serves the entry's bytes, then fails as a daemon export does when the daemon dies, once an upload is under way.</summary>
    private sealed class BreakingStream(byte[] served, Task uploadStarted) : Stream
    {
        private int _position;

        private readonly List<string> _reads = [];

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            _reads.Add($"{_position}+{destination.Length}");
            if (destination.Length == 0) return 0;   // a sub-stream at its end asks for nothing
            if (_position < served.Length)
            {
                var count = Math.Min(destination.Length, served.Length - _position);
                served.AsMemory(_position, count).CopyTo(destination);
                _position += count;
                return count;
            }
            try { await uploadStarted.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken); }
            catch (TimeoutException) { throw new InvalidOperationException("no upload started while the export was read; reads " + string.Join(" ", _reads)); }
            throw new IOException("the daemon's export broke off (connection reset)");
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A registry that holds nothing and whose upload sessions never answer: an upload ends only when it is cancelled.</summary>
    private sealed class StallingRegistry : HttpMessageHandler
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task UploadStarted => _started.Task;

        public TaskCompletionSource UploadCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath == "/v2/")
                return new HttpResponseMessage(HttpStatusCode.OK);
            if (request.Method != HttpMethod.Post) return new HttpResponseMessage(HttpStatusCode.NotFound);
            _started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                UploadCancelled.TrySetResult();
                throw;
            }
            return new HttpResponseMessage(HttpStatusCode.InternalServerError);
        }
    }
}
