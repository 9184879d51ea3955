using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Linkcheck.Tests;

/// <summary>
/// A real web site on a free loopback port for the worker to check: <c>/ok</c> 200, <c>/missing</c> 404,
/// <c>/moved</c> a redirect to <c>/ok</c>, <c>/slow</c> answers after 5 s, <c>/flaky</c> fails until <see cref="Heal"/>.
/// </summary>
public sealed class LocalSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _healed;

    private LocalSite(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; }

    /// <summary>The absolute URL of <paramref name="path"/> on this site.</summary>
    public Uri this[string path] => new(Root, path);

    /// <summary>Makes <c>/flaky</c> answer 200 from now on.</summary>
    public void Heal() => _healed = true;

    /// <summary>Starts the site.</summary>
    public static async Task<LocalSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LocalSite? site = null;
        app.MapGet("/ok", () => "fine");
        app.MapGet("/missing", () => Results.NotFound());
        app.MapGet("/moved", () => Results.Redirect("/ok"));
        app.MapGet("/slow", async (CancellationToken aborted) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), aborted);
            return "late";
        });
        app.MapGet("/flaky", () => site!._healed ? Results.Ok("back") : Results.StatusCode(503));
        await app.StartAsync();
        site = new LocalSite(app, new Uri(app.Urls.Single() + "/"));
        return site;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
