using Pipelines.Logging;
using Pipelines.Oci;
using System.Collections.Concurrent;
using System.Net;

namespace Pipelines.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>The probe of each registry, shared by concurrent callers; a failed one is forgotten so a later call probes again.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Task>> _probes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Checks once per registry that <c>GET /v2/</c> answers as the distribution spec says a registry does (200, or 401
    /// asking for credentials) before anything else is asked of it. Any other web server (404, 405, 501…) is named as
    /// "not an OCI registry" at once, instead of costing retries and ending in a misleading "not found" or "has no
    /// signatures". Transient failures (resets, 429, 5xx from a proxy) are retried like every idempotent call.
    /// </summary>
    public async Task EnsureRegistryAsync(ImageReference repository, CancellationToken cancellationToken = default)
    {
        var registry = repository.Registry;
        var probe = _probes.GetOrAdd(registry, r => new Lazy<Task>(() => ProbeAsync(r, cancellationToken)));
        try
        {
            await probe.Value;
        }
        catch
        {
            _probes.TryRemove(KeyValuePair.Create(registry, probe));
            throw;
        }
    }

    private async Task ProbeAsync(string registry, CancellationToken cancellationToken)
    {
        var probe = BaseUri(registry);
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _retries[RetryMode.Idempotent].ExecuteAsync(async token =>
            {
                attempts++;
                using var message = new HttpRequestMessage(HttpMethod.Get, probe);
                var answer = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
                _log.Debug($"GET {probe} → {(int)answer.StatusCode} (registry probe)");
                return answer;
            }, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException(
                $"Registry {registry} is unreachable ({probe}){Tries(attempts)}: {e.Message}. " +
                "Check the registry address, that it is running, and the network (a TLS registry on plain HTTP needs --insecure-registries).",
                null, null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException($"Registry {registry} did not answer within {_options.RequestTimeout.TotalSeconds:0} s to GET {probe}{Tries(attempts)}.", null, null, e);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return;
            if ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.NotImplemented)
                throw new RegistryException(
                    $"Registry {registry} is unavailable: GET {probe} answered {(int)response.StatusCode} {response.ReasonPhrase}{Tries(attempts)}. Try again later, or check the registry's health.",
                    response.StatusCode);
            var server = response.Headers.Server.Count > 0 ? $" (server: {response.Headers.Server})" : "";
            throw new RegistryException(
                $"{registry} is not an OCI registry: GET {probe} answered {(int)response.StatusCode} {response.ReasonPhrase}{server}, " +
                "where a registry answers 200 or 401. Check --registry (or the image's registry host and port): it must name the registry itself, not a web page or proxy in front of it.",
                response.StatusCode);
        }
    }
}
