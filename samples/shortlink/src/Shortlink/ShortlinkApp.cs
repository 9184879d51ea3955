using Microsoft.AspNetCore.Hosting;
using Shortlink.Faults;
using Shortlink.Health;
using Shortlink.Links;
using Shortlink.Metrics;

namespace Shortlink;

/// <summary>Builds the shortlink web application: services, middleware and endpoints.</summary>
public static class ShortlinkApp
{
    /// <summary>The port the service listens on when neither <c>--urls</c> nor <c>ASPNETCORE_HTTP_PORTS</c>/<c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Creates the application, ready to <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    /// <param name="args">Command-line arguments (e.g. <c>--urls http://127.0.0.1:0</c>).</param>
    /// <param name="configureServices">Runs after the default registrations, so a test can replace a service (the last registration wins).</param>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Kestrel would default to localhost:5000, which is unreachable from outside a container.
        if (!HasListenAddress(builder.Configuration))
            builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<ILinkStore, InMemoryLinkStore>();
        builder.Services.AddSingleton<ICodeGenerator, Base62CodeGenerator>();
        builder.Services.AddSingleton<LinkShortener>();
        builder.Services.AddShortlinkMetrics();
        builder.Services.AddSingleton(FaultOptions.From(builder.Configuration));
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();

        // Measures everything below it, including the status-code pages and unhandled exceptions (prometheus-net
        // counts what the response says when the request leaves it, so the exception handler must sit below it).
        app.UseShortlinkMetrics();
        app.UseExceptionHandler();
        // The fault knob (off unless SHORTLINK_FAULT_* is set) sits inside the metrics, so its failures are counted.
        if (app.Services.GetRequiredService<FaultOptions>().Enabled)
            app.UseMiddleware<FaultInjectionMiddleware>();
        // Gives every empty 4xx/5xx (unknown route, unreadable request) an application/problem+json body.
        app.UseStatusCodePages();

        app.MapHealth();
        app.MapMetrics();
        app.MapLinks();
        return app;
    }

    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpsPortsKey])
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}
