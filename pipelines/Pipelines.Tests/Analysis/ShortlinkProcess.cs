using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// The sample service run for real, as the container would run it: <c>dotnet Shortlink.dll --urls …</c> in its own
/// process on a free loopback port, with the fault knob set through the environment.
/// </summary>
public sealed class ShortlinkProcess : IAsyncDisposable
{
    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static string? _assembly;
    private readonly BackgroundProcess _process;

    private ShortlinkProcess(BackgroundProcess process, Uri url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary><c>127.0.0.1:port</c>, a scrape target.</summary>
    public string Address => Url.Authority;

    /// <summary>Builds the sample once per test run, starts it and waits until <c>/healthz</c> (with its fault on, <c>/readyz</c>) answers.</summary>
    /// <param name="errorRate">SHORTLINK_FAULT_ERROR_RATE (0 = off).</param>
    /// <param name="latencyMs">SHORTLINK_FAULT_LATENCY_MS (0 = off).</param>
    /// <param name="healthzStatus">SHORTLINK_FAULT_HEALTHZ_STATUS: what /healthz answers instead of 200 (0 = off).</param>
    public static async Task<ShortlinkProcess> StartAsync(double errorRate = 0, int latencyMs = 0, int healthzStatus = 0)
    {
        var assembly = await BuildAsync();
        var port = FreePort.OnLoopback();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var process = BackgroundProcess.Start(new Command("dotnet")
            .WithArguments(assembly, "--urls", $"http://127.0.0.1:{port}")
            .WithEnvironment("SHORTLINK_FAULT_ERROR_RATE", errorRate.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("SHORTLINK_FAULT_LATENCY_MS", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("SHORTLINK_FAULT_HEALTHZ_STATUS", healthzStatus.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Logging__LogLevel__Default", "Warning")
            .WithOutput(OutputMode.Quiet));
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; ; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"shortlink exited: {process.RecentOutput}");
            try
            {
                if ((await http.GetAsync(healthzStatus == 0 ? "healthz" : "readyz")).IsSuccessStatusCode) return new ShortlinkProcess(process, url);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (attempt > 300) throw new TimeoutException($"shortlink did not answer /healthz: {process.RecentOutput}");
            await Task.Delay(100);
        }
    }

    private static async Task<string> BuildAsync()
    {
        await BuildLock.WaitAsync();
        try
        {
            if (_assembly is not null) return _assembly;
            var project = Path.Combine(TestPaths.RepositoryRoot, "samples", "shortlink", "src", "Shortlink");
            (await new Command("dotnet").WithArguments("build", project, "-c", "Debug", "-v", "q", "-nologo")
                .WithOutput(OutputMode.Quiet).ExecuteAsync()).EnsureSuccess("Building the shortlink sample");
            return _assembly = Path.Combine(project, "bin", "Debug", "net10.0", "Shortlink.dll");
        }
        finally { BuildLock.Release(); }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
