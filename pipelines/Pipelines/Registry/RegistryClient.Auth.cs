using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pipelines.Logging;
using Pipelines.Oci;

namespace Pipelines.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>The challenge each registry answered with, so later calls authenticate up front.</summary>
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new();

    /// <summary>Bearer tokens by registry and scope set.</summary>
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _tokens = new();

    /// <summary>Credentials by registry, looked up once (a credential helper is a process).</summary>
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryCredential>>> _credentialsByRegistry = new();

    /// <summary>Sends once with the best known authorization; on 401 authenticates from the challenge and sends again once.</summary>
    private async Task<HttpResponseMessage> SendAuthenticatedAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        var registry = request.Repository.Registry;
        var authorization = _challenges.TryGetValue(registry, out var known)
            ? await AuthorizeAsync(request, known, refresh: false, cancellationToken)
            : null;
        var response = await SendOnceAsync(request, authorization, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var challenge = AuthChallenge.From(response.Headers.WwwAuthenticate);
            if (challenge is null) await ThrowAuthFailureAsync(request, response, cancellationToken);
            _challenges[registry] = challenge!;
            var credential = await CredentialAsync(registry, cancellationToken);
            // Anonymous and already refused, or a Basic challenge without credentials: nothing better to send.
            if ((authorization is null && challenge!.IsBasic && credential.IsAnonymous) || (authorization is not null && challenge!.IsBasic))
                await ThrowAuthFailureAsync(request, response, cancellationToken);
            response.Dispose();
            authorization = await AuthorizeAsync(request, challenge!, refresh: true, cancellationToken);
            response = await SendOnceAsync(request, authorization, cancellationToken);
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            await ThrowAuthFailureAsync(request, response, cancellationToken);
        return response;
    }

    private async Task<AuthenticationHeaderValue?> AuthorizeAsync(RegistryRequest request, AuthChallenge challenge, bool refresh, CancellationToken cancellationToken)
    {
        var credential = await CredentialAsync(request.Repository.Registry, cancellationToken);
        if (challenge.IsBasic)
            return credential.Username is null
                ? null
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

        var key = $"{request.Repository.Registry} {string.Join(' ', request.Scopes)}";
        if (!refresh && _tokens.TryGetValue(key, out var cached)) return cached;
        var token = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(request, challenge, credential, cancellationToken));
        _tokens[key] = token;
        return token;
    }

    /// <summary>Gets a token from the challenge's realm (distribution token spec): GET with Basic credentials, or POST an OAuth2 refresh token.</summary>
    private async Task<string> FetchTokenAsync(RegistryRequest request, AuthChallenge challenge, RegistryCredential credential, CancellationToken cancellationToken)
    {
        if (challenge.Realm is null || !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm))
            throw new RegistryException($"Registry {request.Repository.Registry} sent a Bearer challenge without a usable realm ('{challenge.Realm}'); it cannot be authenticated against.");

        using var message = credential.IdentityToken is { } refreshToken
            ? new HttpRequestMessage(HttpMethod.Post, realm)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token",
                    ["refresh_token"] = refreshToken,
                    ["service"] = challenge.Service ?? "",
                    ["scope"] = string.Join(' ', request.Scopes),
                    ["client_id"] = "pipelines",
                }),
            }
            : new HttpRequestMessage(HttpMethod.Get, TokenUri(realm, challenge.Service, request.Scopes));
        if (credential.IdentityToken is null && credential.Username is not null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

        using var response = await _http.SendAsync(message, cancellationToken);
        _log.Debug($"{message.Method} {realm.GetLeftPart(UriPartial.Path)} (token for {string.Join(' ', request.Scopes)}) → {(int)response.StatusCode}");
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            await ThrowAuthFailureAsync(request, response, cancellationToken, $"the token service {realm.GetLeftPart(UriPartial.Path)}");
        await EnsureSuccessAsync(response, $"issue a token for {request.What}");

        string? token;
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            token = (body.RootElement.TryGetProperty("token", out var t) ? t.GetString() : null)
                    ?? (body.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null);
        }
        catch (JsonException)
        {
            token = null;
        }
        if (string.IsNullOrEmpty(token))
            throw new RegistryException($"The token service {realm.GetLeftPart(UriPartial.Path)} answered without a token for {request.What}.");
        _masker?.Add(token);
        return token;
    }

    private static Uri TokenUri(Uri realm, string? service, IReadOnlyList<string> scopes)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(realm.Query)) query.Add(realm.Query.TrimStart('?'));
        if (!string.IsNullOrEmpty(service)) query.Add("service=" + Uri.EscapeDataString(service));
        query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        return new UriBuilder(realm) { Query = string.Join('&', query) }.Uri;
    }

    private Task<RegistryCredential> CredentialAsync(string registry, CancellationToken cancellationToken) =>
        _credentialsByRegistry.GetOrAdd(registry, r => new Lazy<Task<RegistryCredential>>(() => _credentials.FindAsync(r, cancellationToken))).Value;

    /// <summary>Throws the 401/403 message: what was refused, by whom, and which credential source was used (never its value).</summary>
    private async Task ThrowAuthFailureAsync(RegistryRequest request, HttpResponseMessage response, CancellationToken cancellationToken, string? by = null)
    {
        var credential = await CredentialAsync(request.Repository.Registry, cancellationToken);
        var errors = await ReadErrorsAsync(response);
        var status = response.StatusCode;
        // A token service grants what the account may do; the registry then says the token's scope is too small.
        var insufficientScope = AuthChallenge.From(response.Headers.WwwAuthenticate)?.Parameters.GetValueOrDefault("error") == "insufficient_scope";
        response.Dispose();
        var who = by ?? $"Registry {request.Repository.Registry}";
        var fix = status == HttpStatusCode.Forbidden || (insufficientScope && !credential.IsAnonymous)
            ? $"the credential is valid but lacks {(request.Push ? "push" : "pull")} permission on {request.Repository.Repository}: grant it, or use another account"
            : credential.IsAnonymous
                ? $"pass --registry-username and --registry-password, or run `docker login {request.Repository.Registry}`"
                : $"check the username and password (or token), or run `docker login {request.Repository.Registry}` again";
        throw new RegistryException(
            $"{who} refused to {request.What}: {(int)status} {(status == HttpStatusCode.Forbidden ? "Forbidden" : "Unauthorized")}{Describe(errors)}. " +
            $"Credential used: {credential.Source}. Fix: {fix}.",
            status, errors);
    }
}
