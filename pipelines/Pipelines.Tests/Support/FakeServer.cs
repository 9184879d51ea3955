using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Pipelines.Tests.Support;

/// <summary>
/// A real HTTP server on a free loopback port that speaks whatever API a test maps on it (Kestrel,
/// minimal APIs). Every request is recorded with its headers and body.
/// </summary>
public sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];

    private FakeServer(WebApplication app) => _app = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary><c>127.0.0.1:port</c>, as a registry host in image references or a <c>host:port</c> to connect to.</summary>
    public string Address => Url.Authority;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    /// <summary>Builds the app with <paramref name="map"/> (routes, or <c>app.Run</c> for a catch-all handler) and starts it.</summary>
    public static Task<FakeServer> StartAsync(Action<WebApplication> map) => StartAsync(map, https: null);

    /// <summary>
    /// As <see cref="StartAsync(Action{WebApplication})"/>, over HTTPS configured by <paramref name="https"/>
    /// (server certificate, client-certificate mode and validation) when it is given.
    /// </summary>
    public static async Task<FakeServer> StartAsync(Action<WebApplication> map, Action<HttpsConnectionAdapterOptions>? https)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (https is null)
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        else
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https)));
        var app = builder.Build();
        var server = new FakeServer(app);
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            lock (server._requests)
                server._requests.Add(new RecordedRequest(
                    context.Request.Method,
                    context.Request.Path + context.Request.QueryString,
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    body));
            await next(context);
        });
        map(app);
        await app.StartAsync();
        server.Url = new Uri(app.Urls.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
