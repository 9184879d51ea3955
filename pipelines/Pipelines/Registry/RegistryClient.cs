using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Pipelines.Logging;
using Pipelines.Oci;
using Polly;
using Polly.Retry;

namespace Pipelines.Registry;

/// <summary>
/// A thin client for the OCI distribution API (registry v2): manifests, blobs, uploads with cross-repository
/// mount, tags and referrers. It authenticates from the registry's challenge (anonymous, Basic, Bearer
/// token per repository scope), speaks plain HTTP only to loopback or listed insecure registries, and
/// retries transient failures of calls that are safe to repeat.
/// </summary>
internal sealed partial class RegistryClient : IDisposable
{
    private readonly RegistryClientOptions _options;
    private readonly DockerCredentials _credentials;
    private readonly ILog _log;
    private readonly SecretMasker? _masker;
    private readonly HttpClient _http;
    private readonly Dictionary<RetryMode, ResiliencePipeline<HttpResponseMessage>> _retries;

    /// <param name="options">Insecure hosts, retry and timeout settings.</param>
    /// <param name="credentials">Where credentials come from (parameters, then Docker's config).</param>
    /// <param name="log">Receives one debug line per request and a warning per retry; never a secret.</param>
    /// <param name="masker">Receives bearer tokens so that no log line shows them.</param>
    /// <param name="handler">The HTTP handler; null: a <see cref="SocketsHttpHandler"/> following redirects (blob storage).</param>
    public RegistryClient(RegistryClientOptions options, DockerCredentials credentials, ILog log, SecretMasker? masker = null, HttpMessageHandler? handler = null)
    {
        _options = options;
        _credentials = credentials;
        _log = log;
        _masker = masker;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = options.RequestTimeout,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        _retries = Enum.GetValues<RetryMode>().ToDictionary(mode => mode, BuildRetry);
    }

    /// <summary>True when <paramref name="registry"/> is spoken to over plain HTTP: loopback, or listed as insecure.</summary>
    public bool IsPlainHttp(string registry)
    {
        if (_options.InsecureRegistries.Any(r => string.Equals(r.Trim().TrimEnd('/'), registry, StringComparison.OrdinalIgnoreCase)
                                                 || string.Equals(r.Trim().TrimEnd('/'), HostOf(registry), StringComparison.OrdinalIgnoreCase)))
            return true;
        var host = HostOf(registry);
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The API base for a registry: <c>https://host/v2/</c>; Docker Hub's API lives at <c>registry-1.docker.io</c>.</summary>
    public Uri BaseUri(string registry)
    {
        var apiHost = registry == ImageReference.DockerHub ? "registry-1.docker.io" : registry;
        return new Uri($"{(IsPlainHttp(registry) ? "http" : "https")}://{apiHost}/v2/");
    }

    /// <summary>Checks that the registry answers and accepts the credentials for <paramref name="repository"/> (pull, or push when asked).</summary>
    public async Task CheckAccessAsync(ImageReference repository, bool push = false, CancellationToken cancellationToken = default)
    {
        // Tag listing needs the same scope as any read; a missing repository (404) still proves access.
        using var response = await SendAsync(new RegistryRequest(HttpMethod.Get, repository, $"{repository.Repository}/tags/list?n=1", $"check access to {repository.RepositoryUrl}") { Push = push }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound) await EnsureSuccessAsync(response, $"check access to {repository.RepositoryUrl}");
    }

    /// <summary>Releases the HTTP connections to the registry.</summary>
    public void Dispose() => _http.Dispose();

    /// <summary>Sends a request with auth and retries; the caller owns (and checks) the response.</summary>
    private async Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        await EnsureRegistryAsync(request.Repository, cancellationToken);
        var attempts = 0;
        try
        {
            return await _retries[request.Retry].ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await SendAuthenticatedAsync(request, token);
                }, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException(
                $"Registry {request.Repository.Registry} could not be reached to {request.What} ({BaseUri(request.Repository.Registry)}){Tries(attempts)}: {e.Message}. " +
                "Check the registry address, that it is running, and the network (a TLS registry on plain HTTP needs --insecure-registries).",
                null, null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(
                $"Registry {request.Repository.Registry} did not answer within {_options.RequestTimeout.TotalSeconds:0} s to {request.What}{Tries(attempts)}.", null, null, e);
        }
    }

    private static string Tries(int attempts) => attempts > 1 ? $" (gave up after {attempts} attempts)" : "";

    private HttpRequestMessage Build(RegistryRequest request, AuthenticationHeaderValue? authorization)
    {
        var message = new HttpRequestMessage(request.Method, UriOf(request)) { Content = request.Content?.Invoke() };
        foreach (var type in request.Accept) message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        message.Headers.Authorization = authorization;
        return message;
    }

    /// <summary>A path is relative to the registry's <c>/v2/</c>; upload Locations and Link pages arrive as absolute URLs.</summary>
    private Uri UriOf(RegistryRequest request) =>
        Uri.TryCreate(request.PathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute
            : new Uri(BaseUri(request.Repository.Registry), request.PathOrUrl);

    private async Task<HttpResponseMessage> SendOnceAsync(RegistryRequest request, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        // Credentials are for the registry alone: an upload URL on another host (a storage bucket) gets none.
        var sameHost = UriOf(request).Authority == BaseUri(request.Repository.Registry).Authority;
        using var message = Build(request, sameHost ? authorization : null);
        var watch = Stopwatch.StartNew();
        var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        _log.Debug($"{request.Method} {message.RequestUri} → {(int)response.StatusCode} ({watch.ElapsedMilliseconds} ms)");
        return response;
    }

    private ResiliencePipeline<HttpResponseMessage> BuildRetry(RetryMode mode)
    {
        if (mode == RetryMode.Never || _options.MaxRetries <= 0) return ResiliencePipeline<HttpResponseMessage>.Empty;
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(mode, args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var why = args.Outcome.Result is { } r ? $"{(int)r.StatusCode} {r.ReasonPhrase}" : args.Outcome.Exception?.Message;
                    _log.Warn($"Registry call failed ({why}); retry {args.AttemptNumber + 1} of {_options.MaxRetries} in {args.RetryDelay.TotalMilliseconds:0} ms.");
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .Build();
    }

    private static bool IsTransient(RetryMode mode, Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        // Every call but PATCH is safe to repeat: GET/HEAD read, a manifest or closing blob PUT stores the same bytes
        // under the same name, and a POST that started an upload nobody finishes leaves a session that expires by itself.
        if (mode == RetryMode.Never) return false;
        if (outcome.Result is { } response)
            return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
        return outcome.Exception switch
        {
            HttpRequestException => true,
            TaskCanceledException => !cancellationToken.IsCancellationRequested,
            _ => false,
        };
    }

    /// <summary>A registry's <c>Retry-After</c> (seconds or a date), capped; null: Polly's exponential backoff.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is null || wait <= TimeSpan.Zero) return null;
        return wait > _options.MaxRetryDelay ? _options.MaxRetryDelay : wait;
    }

    /// <summary>Throws a <see cref="RegistryException"/> with the registry's error codes unless the response succeeded.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        var errors = await ReadErrorsAsync(response);
        throw new RegistryException(
            $"Registry {response.RequestMessage?.RequestUri?.Authority} answered {(int)response.StatusCode} {response.ReasonPhrase} to {what}{Describe(errors)}.",
            response.StatusCode, errors);
    }

    private static string Describe(IReadOnlyList<RegistryError> errors) =>
        errors.Count == 0 ? "" : ": " + string.Join("; ", errors.Select(e => e.Message.Length > 0 ? $"{e.Code}: {e.Message}" : e.Code));

    /// <summary>The <c>{"errors":[{"code","message"}]}</c> body, or nothing when the body is something else.</summary>
    private static async Task<IReadOnlyList<RegistryError>> ReadErrorsAsync(HttpResponseMessage response)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync();
            if (body.Length == 0) return [];
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array) return [];
            return errors.EnumerateArray()
                .Select(e => new RegistryError(
                    e.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "",
                    e.TryGetProperty("message", out var message) ? message.GetString() ?? "" : ""))
                .ToList();
        }
        catch (JsonException) { return []; }
        catch (HttpRequestException) { return []; }
    }

    private static string HostOf(string registry)
    {
        if (registry.StartsWith('[')) return registry[1..registry.IndexOf(']')];
        var colon = registry.LastIndexOf(':');
        return colon < 0 ? registry : registry[..colon];
    }
}
