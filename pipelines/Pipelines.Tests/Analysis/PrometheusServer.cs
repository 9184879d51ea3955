using System.Net.Http.Json;
using System.Text.Json;
using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// Debian's real <c>prometheus</c> (2.42) on a free loopback port, with its own TSDB in a temporary folder and a 1 s
/// scrape interval. Each target is a job whose series carry the <c>namespace</c> label the objectives filter on.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly TempDirectory _directory;

    private PrometheusServer(BackgroundProcess process, TempDirectory directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts Prometheus scraping each <c>(namespace, host:port)</c> target every second and waits until it is ready.</summary>
    public static Task<PrometheusServer> StartAsync(params (string Namespace, string Address)[] targets) => StartAsync(null, targets);

    /// <summary>
    /// Starts Prometheus behind its own basic auth (<c>--web.config.file</c>, bcrypt <c>basic_auth_users</c>): the user
    /// <c>analyst</c> with the password <see cref="BasicAuthPassword"/>. Every endpoint, <c>/-/ready</c> included, needs it.
    /// </summary>
    public static Task<PrometheusServer> StartWithBasicAuthAsync(params (string Namespace, string Address)[] targets) =>
        StartAsync((BasicAuthUser, BasicAuthHash), targets);

    /// <summary>The user of <see cref="StartWithBasicAuthAsync"/>.</summary>
    public const string BasicAuthUser = "analyst";
    /// <summary>The password of <see cref="StartWithBasicAuthAsync"/> (a test fixture's, in the clear on purpose).</summary>
    public const string BasicAuthPassword = "correct-horse";
    // htpasswd -nbBC 10 analyst correct-horse
    private const string BasicAuthHash = "$2y$10$8YJNGA9nqG.OCo39qY71U.yxudrypZ3PtSK99zuNqtzhsynUIZWZ6";

    private static async Task<PrometheusServer> StartAsync((string User, string Hash)? basicAuth, (string Namespace, string Address)[] targets)
    {
        if (Command.Resolve("prometheus") is null)
            throw new InvalidOperationException("prometheus is not installed: `apt-get install prometheus` (.ci/prerequisites installs it).");
        var directory = new TempDirectory("prometheus-test");
        var jobs = string.Concat(targets.Select(t => $"""
              - job_name: {t.Namespace}
                static_configs:
                  - targets: ["{t.Address}"]
                    labels:
                      namespace: {t.Namespace}

            """));
        await File.WriteAllTextAsync(directory.Combine("prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
            {jobs}
            """);
        var webConfig = new List<string>();
        if (basicAuth is { } auth)
        {
            await File.WriteAllTextAsync(directory.Combine("web.yml"), $"basic_auth_users:\n  {auth.User}: '{auth.Hash}'\n");
            webConfig.Add($"--web.config.file={directory.Combine("web.yml")}");
        }
        var port = FreePort.OnLoopback();
        var process = BackgroundProcess.Start(new Command("prometheus").WithArguments([
            .. webConfig,
            $"--config.file={directory.Combine("prometheus.yml")}",
            $"--storage.tsdb.path={directory.Combine("data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1h",
            "--log.level=warn"]).WithOutput(OutputMode.Quiet));
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(2) };
        if (basicAuth is not null)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{BasicAuthUser}:{BasicAuthPassword}")));
        for (var attempt = 0; ; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"prometheus exited: {process.RecentOutput}");
            try
            {
                if ((await http.GetAsync("-/ready")).IsSuccessStatusCode) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (attempt > 150) throw new TimeoutException($"prometheus did not become ready: {process.RecentOutput}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls until every target has been scraped (<c>up == 1</c>); the first scrape takes about 6 s after start.</summary>
    public async Task WaitForTargetsAsync(int count, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var body = await http.GetFromJsonAsync<JsonElement>("api/v1/query?query=sum(up)");
                var result = body.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() == 1 && double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= count)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Prometheus did not scrape {count} targets within {timeout}.");
            await Task.Delay(250);
        }
    }

    /// <summary>Stops the server (SIGTERM); queries fail from then on.</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Dispose();
    }
}
