using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Authentication;
using Pipelines.Processes;

namespace Pipelines.Kubernetes;

/// <summary>
/// Our exec credential plugin runner, given to KubernetesClient as its token provider. The package's own
/// joins arguments with spaces, runs the plugin twice, ignores its exit code, always claims
/// <c>interactive: true</c> and never kills a hung plugin; this one passes arguments as a list, runs the
/// plugin once per token lifetime, fails on a non-zero exit with the plugin's last error lines, and stops
/// the plugin's process tree after <see cref="Timeout"/>.
/// </summary>
internal sealed class ExecTokenProvider(ExecCredentialPlugin plugin, string source) : ITokenProvider
{
    /// <summary>How long a plugin may run: a cloud CLI fetching a token is slow, a hung one is not waited for.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expiry;

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || DateTimeOffset.UtcNow >= _expiry - TimeSpan.FromSeconds(30))
                (_token, _expiry) = await RunAsync(cancellationToken);
            return new AuthenticationHeaderValue("Bearer", _token);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs the plugin and reads <c>status.token</c> from the ExecCredential it prints.</summary>
    private async Task<(string Token, DateTimeOffset Expiry)> RunAsync(CancellationToken cancellationToken)
    {
        var info = new JsonObject
        {
            ["apiVersion"] = plugin.ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = new JsonObject { ["interactive"] = false },
        };
        var command = new Command(plugin.Command)
            .WithArguments(plugin.Arguments)
            .WithEnvironment(plugin.Environment.ToDictionary(e => e.Key, e => (string?)e.Value))
            .WithEnvironment("KUBERNETES_EXEC_INFO", info.ToJsonString())
            .WithTimeout(Timeout)
            .WithOutput(OutputMode.Quiet)
            .WithMissingHint($"the kubeconfig ({source}) uses it as an exec credential plugin");
        var result = (await command.ExecuteAsync(null, cancellationToken)).EnsureSuccess($"The exec credential plugin `{plugin.Command}`");
        var status = TryParse(result.StandardOutput)?["status"] as JsonObject
            ?? throw new PipelineException($"The exec credential plugin `{plugin.Command}` printed no ExecCredential status.");
        var token = status["token"]?.GetValue<string>()
            ?? throw new PipelineException($"The exec credential plugin `{plugin.Command}` returned no token (client certificates from plugins are not supported).");
        var expiry = status["expirationTimestamp"]?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, out var parsed)
            ? parsed
            : DateTimeOffset.MaxValue;
        return (token, expiry);
    }

    private static JsonObject? TryParse(string text)
    {
        try { return JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { return null; }
    }
}
