using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace Linkcheck;

/// <summary>Builds the host the program runs, so the tests start exactly the same wiring.</summary>
public static class LinkcheckApp
{
    /// <summary>
    /// A host running <see cref="LinkcheckWorker"/> with <paramref name="settings"/>, writing its events to
    /// <paramref name="output"/>. The host's own console logging is off: every line on stdout is one JSON event.
    /// </summary>
    public static IHost Create(LinkcheckSettings settings, TextWriter output, HttpClient? client = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "linkcheck" });
        // SIGTERM / SIGINT stop the host; the worker then ends its loop and the process exits 0.
        builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // Kubernetes waits terminationGracePeriodSeconds (30 s) before SIGKILL; stop well inside that.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new EventLog(output));
        builder.Services.AddSingleton(new LinkChecker(client ?? LinkChecker.CreateClient(), settings.Timeout));
        builder.Services.AddSingleton<LinkcheckWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LinkcheckWorker>());
        return builder.Build();
    }
}
