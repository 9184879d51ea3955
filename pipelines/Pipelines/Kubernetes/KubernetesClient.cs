using System.Net;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Authentication;
using k8s.Autorest;
using k8s.Models;

namespace Pipelines.Kubernetes;

/// <summary>
/// The Kubernetes API as the toolkit uses it, through KubernetesClient: namespaced objects of a
/// <see cref="KubeResource"/> (custom resources such as Flux Kustomizations and Tekton runs, and built-in kinds such as
/// apps/v1 Deployments) read, created, merge-patched and watched as JSON, and pod logs.
/// Callers see JSON and the toolkit's records, never the package's types; every failure the user can fix is one
/// <see cref="PipelineException"/> naming the object and the kubeconfig context.
/// </summary>
internal sealed class KubernetesClient : IDisposable
{
    private readonly k8s.Kubernetes _api;

    /// <summary>Connects to the endpoint with its TLS settings and credentials (nothing is sent until the first call).</summary>
    public KubernetesClient(KubeEndpoint endpoint)
    {
        Endpoint = endpoint;
        _api = new k8s.Kubernetes(Configuration(endpoint));
    }

    /// <summary>The server and credentials this client talks to, for error messages.</summary>
    public KubeEndpoint Endpoint { get; }

    /// <summary>Reads one object; null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(KubeResource resource, string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            return ToObject(await _api.CustomObjects.GetNamespacedCustomObjectAsync(resource.Group, resource.Version, @namespace, resource.Plural, name, cancellationToken),
                resource.PathOf(@namespace, name));
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (Failure(e, resource.PathOf(@namespace, name), cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Creates the object in the namespace and returns it as the server stored it (its generated name included).</summary>
    public async Task<JsonObject> CreateAsync(KubeResource resource, string @namespace, JsonObject body, CancellationToken cancellationToken)
    {
        var path = resource.PathOf(@namespace);
        try
        {
            return ToObject(await _api.CustomObjects.CreateNamespacedCustomObjectAsync(body, resource.Group, resource.Version, @namespace, resource.Plural, cancellationToken: cancellationToken), path)
                ?? throw new PipelineException($"Kubernetes API answered {path} with an empty body.");
        }
        catch (Exception e) when (Failure(e, path, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>A JSON merge patch (RFC 7386), as <c>kubectl annotate</c> and <c>flux reconcile</c> send.</summary>
    public async Task<JsonObject> MergePatchAsync(KubeResource resource, string @namespace, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        var path = resource.PathOf(@namespace, name);
        try
        {
            var patched = await _api.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), resource.Group, resource.Version, @namespace, resource.Plural, name, cancellationToken: cancellationToken);
            return ToObject(patched, path) ?? throw new PipelineException($"Kubernetes API answered {path} with an empty body.");
        }
        catch (Exception e) when (Failure(e, path, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Watches the objects of the namespace (only <paramref name="name"/> when given): each change as it happens,
    /// as <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c> with the object, until the server closes the watch or
    /// <paramref name="cancellationToken"/> ends it.
    /// </summary>
    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(KubeResource resource, string @namespace, string? name,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = resource.PathOf(@namespace, name);
        Exception? error = null;
        var events = _api.CustomObjects.WatchListNamespacedCustomObjectAsync(resource.Group, resource.Version, @namespace, resource.Plural,
            fieldSelector: name is null ? null : $"metadata.name={name}", onError: e => error ??= e, cancellationToken: cancellationToken);
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (Exception e) when (Failure(e, path, cancellationToken) is { } failure)
            {
                throw failure;
            }
            if (!more) break;
            var (type, item) = enumerator.Current;
            if (ToObject(item, path) is { } changed)
                yield return new KubeWatchEvent(type.ToString().ToUpperInvariant(), changed);
        }
        if (error is not null && Failure(error, path, cancellationToken) is { } late) throw late;
    }

    /// <summary>A container's log in a pod, to its current end; null when the pod or container does not exist.</summary>
    public async Task<string?> ReadPodLogAsync(string @namespace, string pod, string container, CancellationToken cancellationToken)
    {
        var path = $"/api/v1/namespaces/{@namespace}/pods/{pod}/log?container={container}";
        try
        {
            await using var stream = await _api.CoreV1.ReadNamespacedPodLogAsync(pod, @namespace, container: container, cancellationToken: cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (Failure(e, path, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Releases the HTTP connections to the API server.</summary>
    public void Dispose() => _api.Dispose();

    /// <summary>The package's configuration for our endpoint: exec plugins and <c>tokenFile</c> through our token providers.</summary>
    private static KubernetesClientConfiguration Configuration(KubeEndpoint endpoint)
    {
        var configuration = new KubernetesClientConfiguration
        {
            Host = endpoint.Server.ToString(),
            Namespace = endpoint.Namespace,
            SkipTlsVerify = endpoint.InsecureSkipTlsVerify,
            AccessToken = endpoint.Token,
            TokenProvider = endpoint.TokenFile is { } file ? new TokenFileAuth(file)
                : endpoint.Exec is { } exec ? new ExecTokenProvider(exec, endpoint.Source)
                : null,
            ClientCertificateData = Base64(endpoint.ClientCertificatePem),
            ClientCertificateKeyData = Base64(endpoint.ClientKeyPem),
            HttpClientTimeout = TimeSpan.FromSeconds(30),
            UserAgent = "gitops-pipeline",
        };
        // The package's CA callback accepts a certificate issued for another host when the chain needed our CA;
        // ours replaces only the trust anchor. It is set up here (SslCaCerts stays null so the package keeps it).
        if (!endpoint.InsecureSkipTlsVerify && endpoint.CertificateAuthorityPem is { } ca)
            configuration.FirstMessageHandlerSetup = handler =>
            {
                if (handler is SocketsHttpHandler sockets) sockets.SslOptions.RemoteCertificateValidationCallback = TrustOnly(ca);
            };
        return configuration;
    }

    private static RemoteCertificateValidationCallback TrustOnly(string caPem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(caPem);
        return (_, serverCertificate, _, errors) =>
        {
            if (serverCertificate is null) return false;
            if (errors == SslPolicyErrors.None) return true;
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(serverCertificate));
        };
    }

    private static string? Base64(string? pem) => pem is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    private static JsonObject? ToObject(object? value, string path) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Object } element => JsonNode.Parse(element.GetRawText()) as JsonObject,
        JsonElement => throw new PipelineException($"Kubernetes API answered {path} with something that is not a JSON object."),
        _ => JsonSerializer.SerializeToNode(value) as JsonObject,
    };

    /// <summary>The one message for a failed call; null for what is not a failure of the API (cancellation, our own errors).</summary>
    private PipelineException? Failure(Exception e, string path, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case HttpOperationException { Response: { } response }:
                var message = TryMessage(response.Content) ?? response.Content?.Trim() ?? response.ReasonPhrase;
                var hint = response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => $" The credentials of {Endpoint.Source} were rejected.",
                    HttpStatusCode.Forbidden => $" The identity of {Endpoint.Source} lacks the RBAC rights for this.",
                    _ => "",
                };
                return new PipelineException($"Kubernetes API {(int)response.StatusCode} for {path}: {message}.{hint}", e);
            case HttpRequestException:
                return new PipelineException($"The Kubernetes API at {Endpoint.Server} ({Endpoint.Source}) cannot be reached: {e.Message}", e);
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                // The package bounds each call (not a watch) by its timeout through the same token.
                return new PipelineException($"The Kubernetes API at {Endpoint.Server} ({Endpoint.Source}) did not answer {path} in time.", e);
            case JsonException:
                return new PipelineException($"Kubernetes API answered {path} with JSON this client does not understand: {e.Message}", e);
            default:
                return null;
        }
    }

    private static string? TryMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return null;
        try { return JsonNode.Parse(content)?["message"]?.GetValue<string>(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return null; }
    }
}
