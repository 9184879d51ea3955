using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>
/// A reverse proxy in front of a real registry that injects failures: for each request, <c>fault</c> gets the method
/// and how many requests of that method came before, and returns a status to answer instead (503, 502…),
/// <see cref="Abort"/> to cut the connection, or null to forward. Every request is recorded.
/// </summary>
public sealed class FlakyRegistryProxy : IAsyncDisposable
{
    /// <summary>Returned by a fault function to reset the connection instead of answering.</summary>
    public const int Abort = -1;

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
        { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection" };

    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private FakeServer? _server;

    /// <summary>"METHOD path → status" per request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary><c>127.0.0.1:port</c> of the proxy.</summary>
    public string Address => _server!.Address;

    public static async Task<FlakyRegistryProxy> StartAsync(Uri registry, Func<string, int, int?> fault)
    {
        var proxy = new FlakyRegistryProxy();
        proxy._server = await FakeServer.StartAsync(app => app.Run(context => proxy.HandleAsync(context, registry, fault)));
        return proxy;
    }

    /// <summary>A proxy faulting requests as <paramref name="mode"/> says (<see cref="FaultModes"/>: <c>503:3</c>, <c>reset:3</c>, <c>random:3:SEED</c>).</summary>
    public static Task<FlakyRegistryProxy> StartAsync(Uri registry, string mode)
    {
        var plan = FaultModes.Parse(mode);
        return StartAsync(registry, (method, _) => plan(method) is { } fault ? (fault == FaultModes.Reset ? Abort : fault) : null);
    }

    /// <summary>How many requests were answered with an injected fault (a status or a reset).</summary>
    public int Faults => Requests.Count(r => r.EndsWith("(injected)", StringComparison.Ordinal) || r.EndsWith("→ reset", StringComparison.Ordinal));

    /// <summary>How many requests with <paramref name="method"/> arrived.</summary>
    public int Count(string method) => _counts.GetValueOrDefault(method);

    private async Task HandleAsync(HttpContext context, Uri registry, Func<string, int, int?> fault)
    {
        var method = context.Request.Method;
        var before = _counts.AddOrUpdate(method, 1, (_, n) => n + 1) - 1;
        var what = $"{method} {context.Request.Path}";
        switch (fault(method, before))
        {
            case Abort:
                Requests.Enqueue(what + " → reset");
                context.Abort();
                return;
            case { } status:
                Requests.Enqueue($"{what} → {status} (injected)");
                context.Response.StatusCode = status;
                return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(registry, context.Request.Path + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding"))
            request.Content = new StreamContent(context.Request.Body);
        else if (method is "PUT" or "POST" or "PATCH")
            request.Content = new ByteArrayContent([]);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        // Upload Locations are built from Host: keep the proxy's, so follow-up calls come through it too.
        request.Headers.Host = context.Request.Host.Value;

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Requests.Enqueue($"{what} → {(int)response.StatusCode}");
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (!HopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
        if (method != "HEAD") await response.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _upstream.Dispose();
    }
}
