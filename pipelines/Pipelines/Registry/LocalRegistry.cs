using System.Net.Sockets;
using Pipelines.Logging;
using Pipelines.Processes;
using YamlDotNet.Serialization;

namespace Pipelines.Registry;

/// <summary>
/// A distribution registry (Debian's <c>docker-registry</c> or upstream <c>registry</c> binary) run as a child
/// process on a loopback address with filesystem storage. Used as the laptop default and by integration tests.
/// Disposing stops it; the stored images stay in <see cref="LocalRegistryOptions.StorageDirectory"/>.
/// </summary>
internal sealed partial class LocalRegistry : IAsyncDisposable
{
    /// <summary>Binaries tried in order when no executable is configured.</summary>
    public static readonly IReadOnlyList<string> Binaries = ["docker-registry", "registry", "/usr/bin/docker-registry"];

    private readonly BackgroundProcess _process;

    private LocalRegistry(LocalRegistryOptions options, BackgroundProcess process, string configPath)
    {
        Options = options;
        _process = process;
        ConfigPath = configPath;
    }

    /// <summary>The options it was started with.</summary>
    public LocalRegistryOptions Options { get; }

    /// <summary>The YAML configuration file written for it.</summary>
    public string ConfigPath { get; }

    /// <summary><c>host:port</c> as used in image references, e.g. <c>127.0.0.1:5000</c>.</summary>
    public string Address => FormatAddress(Options.BindAddress, Options.Port);

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:5000</c>.</summary>
    public Uri BaseUrl => new($"http://{Address}");

    /// <summary>True while the registry process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>The registry's last log lines (for diagnosing a failed test or start).</summary>
    public string RecentOutput => _process.RecentOutput;

    /// <summary>
    /// Writes the configuration, starts the registry and waits until <c>GET /v2/</c> answers (any status:
    /// 401 also means it is up). Fails with the registry's own last output when it exits or never answers.
    /// </summary>
    public static async Task<LocalRegistry> StartAsync(LocalRegistryOptions options, ILog? log = null, CancellationToken cancellationToken = default)
    {
        if (options.HtpasswdPath is not null && options.TokenAuth is not null)
            throw new PipelineException("A local registry takes either an htpasswd file or token auth, not both.");
        if (options.HtpasswdPath is not null && !File.Exists(options.HtpasswdPath))
            throw new PipelineException($"The htpasswd file '{options.HtpasswdPath}' does not exist: create it with `htpasswd -B -c <file> <user>`.");

        var executable = ResolveExecutable(options);
        // Another server on the port would answer /v2/ and pass for this registry: refuse up front.
        if (!IsPortFree(options.BindAddress, options.Port))
            throw new PipelineException(
                $"Cannot start a local registry on {FormatAddress(options.BindAddress, options.Port)}: address already in use. Stop what listens there or choose another port.");
        Directory.CreateDirectory(options.StorageDirectory);
        var configPath = options.ConfigPath ?? Path.Combine(options.StorageDirectory, "config.yml");
        await File.WriteAllTextAsync(configPath, RenderConfig(options), cancellationToken);

        var command = new Command(executable)
            .WithArguments("serve", configPath)
            .WithOutput(OutputMode.Quiet)
            .WithGracePeriod(TimeSpan.FromSeconds(5))
            // The registry reads REGISTRY_* variables over its file; inherited ones must not change our config.
            .WithEnvironment(Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Where(k => k.StartsWith("REGISTRY_", StringComparison.Ordinal))
                .ToDictionary(k => k, _ => (string?)null));
        var process = BackgroundProcess.Start(command, log);
        var registry = new LocalRegistry(options, process, configPath);
        try
        {
            await registry.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
        log?.Debug($"Local registry {executable} listening on {registry.Address}, storage {options.StorageDirectory}.");
        return registry;
    }

    /// <summary>True when something at <paramref name="baseUrl"/> answers <c>GET /v2/</c> like a registry (200 or 401).</summary>
    public static async Task<bool> AnswersAsync(Uri baseUrl, CancellationToken cancellationToken = default)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync(new Uri(baseUrl, "/v2/"), cancellationToken);
            return response.StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.Unauthorized;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { return false; }
    }

    /// <summary>A port on the loopback interface that is free now (the OS picks it).</summary>
    public static int FindFreePort(string bindAddress = "127.0.0.1")
    {
        using var listener = new TcpListener(System.Net.IPAddress.Parse(bindAddress), 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool IsPortFree(string bindAddress, int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Parse(bindAddress), port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Stops the registry process.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Options.StartTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        while (true)
        {
            if (_process.HasExited)
            {
                await _process.StopAsync();
                throw new PipelineException(
                    $"The local registry ({Path.GetFileName(_process.Command.Executable)}) exited with code {_process.ExitCode} " +
                    $"before answering on {Address}: {LastLines()}");
            }
            try
            {
                if (await AnswersAsync(BaseUrl, linked.Token)) return;
                await Task.Delay(TimeSpan.FromMilliseconds(100), linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new PipelineException(
                    $"The local registry did not answer on {BaseUrl}v2/ within {Options.StartTimeout.TotalSeconds:0} s: {LastLines()}");
            }
        }
    }

    private string LastLines()
    {
        var lines = _process.RecentOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5).ToList();
        return lines.Count == 0 ? "it printed nothing." : string.Join("\n", lines);
    }

    private static string FormatAddress(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>The registry configuration (distribution's <c>version: 0.1</c> format) for <paramref name="options"/>.</summary>
    public static string RenderConfig(LocalRegistryOptions options)
    {
        var config = new Dictionary<string, object>
        {
            ["version"] = "0.1",
            ["log"] = new Dictionary<string, object> { ["level"] = "info", ["fields"] = new Dictionary<string, object> { ["service"] = "registry" } },
            ["storage"] = new Dictionary<string, object>
            {
                ["filesystem"] = new Dictionary<string, object> { ["rootdirectory"] = Path.GetFullPath(options.StorageDirectory) },
                ["delete"] = new Dictionary<string, object> { ["enabled"] = true },
            },
            ["http"] = new Dictionary<string, object>
            {
                ["addr"] = FormatAddress(options.BindAddress, options.Port),
                // Signs upload-session state; without it the registry logs a warning and makes one up anyway.
                ["secret"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
                ["headers"] = new Dictionary<string, object> { ["X-Content-Type-Options"] = new[] { "nosniff" } },
            },
        };
        if (options.HtpasswdPath is not null)
            config["auth"] = new Dictionary<string, object>
            {
                ["htpasswd"] = new Dictionary<string, object> { ["realm"] = options.HtpasswdRealm, ["path"] = Path.GetFullPath(options.HtpasswdPath) },
            };
        if (options.TokenAuth is { } token)
            config["auth"] = new Dictionary<string, object>
            {
                ["token"] = new Dictionary<string, object>
                {
                    ["realm"] = token.Realm,
                    ["service"] = token.Service,
                    ["issuer"] = token.Issuer,
                    ["rootcertbundle"] = Path.GetFullPath(token.RootCertBundlePath),
                },
            };
        return new SerializerBuilder().Build().Serialize(config);
    }
}
