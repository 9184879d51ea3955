using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Processes;

namespace Pipelines.Kubernetes;

/// <summary>
/// A thin client for the Kubernetes API: only what the toolkit uses (get, create and merge-patch of
/// objects by resource path), with the authentication a kubeconfig or service account gives.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly KubeEndpoint _endpoint;
    private string? _execToken;
    private DateTimeOffset _execTokenExpiry;

    /// <summary>Connects to the endpoint with its TLS settings and credentials.</summary>
    public KubernetesClient(KubeEndpoint endpoint)
    {
        _endpoint = endpoint;
        _http = new HttpClient(CreateHandler(endpoint)) { BaseAddress = endpoint.Server, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The server and credentials this client talks to, for error messages.</summary>
    public KubeEndpoint Endpoint => _endpoint;

    /// <summary>The path of a namespaced custom resource: <c>/apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}]</c>.</summary>
    public static string ResourcePath(string group, string version, string plural, string @namespace, string? name = null) =>
        $"/apis/{group}/{version}/namespaces/{Uri.EscapeDataString(@namespace)}/{plural}" + (name is null ? "" : "/" + Uri.EscapeDataString(name));

    /// <summary>GET an object; null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await ReadObjectAsync(response, path, cancellationToken);
    }

    /// <summary>GET a plain-text subresource such as a pod's log; null when it does not exist.</summary>
    public async Task<string?> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) await ReadObjectAsync(response, path, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>POSTs the object to the collection and returns it as the server stored it.</summary>
    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, collectionPath, body.ToJsonString(), "application/json", cancellationToken);
        return await ReadObjectAsync(response, collectionPath, cancellationToken);
    }

    /// <summary>A JSON merge patch (RFC 7386), as <c>kubectl annotate</c> and <c>flux reconcile</c> send.</summary>
    public async Task<JsonObject> MergePatchAsync(string path, JsonObject patch, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", cancellationToken);
        return await ReadObjectAsync(response, path, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        if (await BearerTokenAsync(cancellationToken) is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"The Kubernetes API at {_endpoint.Server} ({_endpoint.Source}) cannot be reached: {e.Message}");
        }
    }

    private async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var message = TryParse(text)?["message"]?.GetValue<string>() ?? text.Trim();
            var hint = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => $" The credentials of {_endpoint.Source} were rejected.",
                HttpStatusCode.Forbidden => $" The identity of {_endpoint.Source} lacks the RBAC rights for this.",
                _ => "",
            };
            throw new PipelineException($"Kubernetes API {(int)response.StatusCode} for {path}: {message}.{hint}");
        }
        return TryParse(text) ?? throw new PipelineException($"Kubernetes API answered {path} with something that is not a JSON object.");
    }

    private static JsonObject? TryParse(string text)
    {
        try { return JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { return null; }
    }

    private async Task<string?> BearerTokenAsync(CancellationToken cancellationToken)
    {
        if (_endpoint.TokenFile is { } file) return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        if (_endpoint.Token is { Length: > 0 } token) return token;
        if (_endpoint.Exec is not { } exec) return null;
        if (_execToken is not null && DateTimeOffset.UtcNow < _execTokenExpiry - TimeSpan.FromSeconds(30)) return _execToken;
        (_execToken, _execTokenExpiry) = await RunExecPluginAsync(exec, cancellationToken);
        return _execToken;
    }

    /// <summary>Runs the exec credential plugin and reads <c>status.token</c> from its ExecCredential.</summary>
    private async Task<(string Token, DateTimeOffset Expiry)> RunExecPluginAsync(ExecCredentialPlugin exec, CancellationToken cancellationToken)
    {
        var info = new JsonObject
        {
            ["apiVersion"] = exec.ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = new JsonObject { ["interactive"] = false },
        };
        var command = new Command(exec.Command)
            .WithArguments(exec.Arguments)
            .WithEnvironment(exec.Environment.ToDictionary(e => e.Key, e => (string?)e.Value))
            .WithEnvironment("KUBERNETES_EXEC_INFO", info.ToJsonString())
            .WithTimeout(TimeSpan.FromMinutes(2))
            .WithOutput(OutputMode.Quiet)
            .WithMissingHint($"the kubeconfig ({_endpoint.Source}) uses it as an exec credential plugin");
        var result = (await command.ExecuteAsync(null, cancellationToken)).EnsureSuccess($"The exec credential plugin `{exec.Command}`");
        var status = TryParse(result.StandardOutput)?["status"] as JsonObject
            ?? throw new PipelineException($"The exec credential plugin `{exec.Command}` printed no ExecCredential status.");
        var token = status["token"]?.GetValue<string>()
            ?? throw new PipelineException($"The exec credential plugin `{exec.Command}` returned no token (client certificates from plugins are not supported).");
        var expiry = status["expirationTimestamp"]?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, out var parsed)
            ? parsed
            : DateTimeOffset.MaxValue;
        return (token, expiry);
    }

    private static SocketsHttpHandler CreateHandler(KubeEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (endpoint.ClientCertificatePem is { } certificate && endpoint.ClientKeyPem is { } key)
        {
            // An ephemeral PEM-loaded key cannot be used by SslStream on every platform; a PKCS#12 round trip can.
            using var pem = X509Certificate2.CreateFromPem(certificate, key);
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }
        if (endpoint.InsecureSkipTlsVerify)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        else if (endpoint.CertificateAuthorityPem is { } ca)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(ca);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, serverCertificate, _, errors) =>
            {
                if (serverCertificate is null) return false;
                if (errors == SslPolicyErrors.None) return true;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                var valid = chain.Build(new X509Certificate2(serverCertificate));
                // Name mismatches still fail: only the trust anchor is replaced.
                return valid && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
            };
        }
        return handler;
    }

    /// <summary>Releases the HTTP connections to the API server.</summary>
    public void Dispose() => _http.Dispose();
}
