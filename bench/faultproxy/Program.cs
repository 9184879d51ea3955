// A reverse proxy on 127.0.0.1:<port> in front of a registry that injects faults as a FaultModes plan says
// (none, 503:N, reset:N, random:N:SEED), optionally through a link of limited bandwidth shared by every connection
// (a WAN push from a CI runner to a cloud registry). Usage: faultproxy <port> <upstream-url> <mode> [MB/s]
// Prints "listening" once ready, and the request and fault counts when stopped (SIGTERM).
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pipelines.Tests.Registry;

if (args.Length is < 3 or > 4 || !int.TryParse(args[0], out var port) || !Uri.TryCreate(args[1], UriKind.Absolute, out var upstream)
    || (args.Length == 4 && (!double.TryParse(args[3], System.Globalization.CultureInfo.InvariantCulture, out var limit) || limit <= 0)))
{
    Console.Error.WriteLine("usage: faultproxy <port> <upstream-url> <none|503:N|reset:N|random:N:SEED> [MB/s, e.g. 20]");
    return 2;
}
var link = args.Length == 4 ? new Link(double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) * 1_000_000) : null;
var plan = FaultModes.Parse(args[2]);
var hopByHop = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection" };
using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
long requests = 0, faults = 0;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(IPAddress.Loopback, port);
    kestrel.Limits.MaxRequestBodySize = null;
    kestrel.Limits.MinRequestBodyDataRate = null;
});
var app = builder.Build();
app.Run(async context =>
{
    Interlocked.Increment(ref requests);
    var method = context.Request.Method;
    switch (plan(method))
    {
        case FaultModes.Reset:
            Interlocked.Increment(ref faults);
            context.Abort();
            return;
        case { } status:
            Interlocked.Increment(ref faults);
            context.Response.StatusCode = status;
            return;
    }
    using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(upstream, context.Request.Path + context.Request.QueryString));
    if (context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding"))
        request.Content = new StreamContent(link is null ? context.Request.Body : new ThrottledStream(context.Request.Body, link));
    else if (method is "PUT" or "POST" or "PATCH")
        request.Content = new ByteArrayContent([]);
    foreach (var (name, values) in context.Request.Headers)
    {
        if (hopByHop.Contains(name)) continue;
        if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
    }
    // Upload Locations are built from Host: keep the proxy's, so follow-up calls come through it too.
    request.Headers.Host = context.Request.Host.Value;
    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
    context.Response.StatusCode = (int)response.StatusCode;
    foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        if (!hopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
    if (method != "HEAD")
    {
        var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await (link is null ? body : new ThrottledStream(body, link)).CopyToAsync(context.Response.Body, context.RequestAborted);
    }
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("listening"));
app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine($"requests {Interlocked.Read(ref requests)} faults {Interlocked.Read(ref faults)}"));
await app.RunAsync();
return 0;

/// <summary>A link of fixed bandwidth that every transfer through the proxy shares, in both directions.</summary>
sealed class Link(double bytesPerSecond)
{
    private readonly object _gate = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private double _free; // seconds on the clock when the link is next free

    public Task TakeAsync(int bytes, CancellationToken cancellation)
    {
        double wait;
        lock (_gate)
        {
            var now = _clock.Elapsed.TotalSeconds;
            // Up to 0.2 s of idle link is credit, so a timer that fires late (a busy machine) costs no bandwidth.
            _free = Math.Max(_free, now - 0.2) + bytes / bytesPerSecond;
            wait = _free - now;
        }
        return wait > 0.001 ? Task.Delay(TimeSpan.FromSeconds(wait), cancellation) : Task.CompletedTask;
    }
}

/// <summary>Reads through a <see cref="Link"/>: each chunk waits for its share of the bandwidth.</summary>
sealed class ThrottledStream(Stream inner, Link link) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation = default)
    {
        var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 64 * 1024)], cancellation);
        if (read > 0) await link.TakeAsync(read, cancellation);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellation) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellation).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
}
