using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Shortlink.Tests;

/// <summary>The real application, started in-process with Kestrel on a free loopback port.</summary>
public sealed class RunningShortlink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningShortlink(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        // Redirects are what the service answers, so the client must not follow them.
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    /// <summary>Where the app listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client bound to <see cref="BaseAddress"/> that does not follow redirects.</summary>
    public HttpClient Client { get; }

    /// <summary>The app's service provider.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app; <paramref name="configureServices"/> can replace its services, <paramref name="settings"/> adds <c>--key=value</c> configuration.</summary>
    public static async Task<RunningShortlink> StartAsync(Action<IServiceCollection>? configureServices = null, string[]? settings = null)
    {
        var app = ShortlinkApp.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. settings ?? []], configureServices);
        await app.StartAsync();
        // Kestrel replaces port 0 with the port it bound once it has started.
        var address = app.Urls.Single();
        return new RunningShortlink(app, new Uri(address + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
