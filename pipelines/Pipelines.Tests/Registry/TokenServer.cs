using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>
/// A token service as the distribution token-auth spec describes it: <c>GET /token?service=&amp;scope=</c> with Basic
/// credentials answers <c>{"token"}</c>, a JWT (ES256, <c>x5c</c> header) granting the requested actions to the right
/// user and nothing to anyone else. The real registry checks the JWT against <see cref="RootCertBundlePath"/>.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "test-registry";
    public const string Issuer = "test-token-issuer";

    /// <summary>The OAuth2 refresh token (Docker's <c>identitytoken</c>) the service accepts for the right user.</summary>
    public const string RefreshToken = "refresh-token-for-robot";

    private readonly ECDsa _key;
    private readonly X509Certificate2 _certificate;
    private readonly string _username;
    private readonly string _password;
    private FakeServer? _server;

    private TokenServer(string directory, string username, string password)
    {
        _username = username;
        _password = password;
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test token issuer", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        RootCertBundlePath = Path.Combine(directory, "token-root.pem");
        File.WriteAllText(RootCertBundlePath, _certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>The PEM bundle to name as the registry's <c>rootcertbundle</c>.</summary>
    public string RootCertBundlePath { get; }

    /// <summary>The realm URL for the registry's challenge.</summary>
    public string Realm => new Uri(_server!.Url, "token").ToString();

    /// <summary>Repositories on which the right user gets only <c>pull</c>, whatever it asks for.</summary>
    public ConcurrentDictionary<string, bool> PullOnly { get; } = new();

    /// <summary>Every token request: the user (or "anonymous") and its scopes.</summary>
    public ConcurrentQueue<(string User, string Scopes)> Requests { get; } = new();

    public static async Task<TokenServer> StartAsync(string directory, string username, string password)
    {
        var server = new TokenServer(directory, username, password);
        server._server = await FakeServer.StartAsync(app =>
        {
            app.MapGet("/token", server.Issue);
            app.MapPost("/token", (Delegate)server.Exchange);
        });
        return server;
    }

    private IResult Issue(HttpContext context)
    {
        var scopes = context.Request.Query["scope"].Select(s => s!).ToList();
        var user = "anonymous";
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
            if (pair[0] != _username || pair[1] != _password)
            {
                Requests.Enqueue((pair[0] + " (refused)", string.Join(' ', scopes)));
                return Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "invalid username or password" } } }, statusCode: 401);
            }
            user = pair[0];
        }
        Requests.Enqueue((user, string.Join(' ', scopes)));
        var access = user == "anonymous"
            ? []
            : scopes.Select(s => s.Split(':')).Where(p => p.Length == 3 && p[0] == "repository")
                .Select(p => new { type = "repository", name = p[1], actions = PullOnly.ContainsKey(p[1]) ? ["pull"] : p[2].Split(',') }).ToArray();
        return Results.Json(new { token = Jwt(user, access), expires_in = 300 });
    }

    /// <summary>The OAuth2 form: <c>grant_type=refresh_token</c>, <c>refresh_token</c>, <c>service</c>, space-separated <c>scope</c>.</summary>
    private async Task<IResult> Exchange(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (form["grant_type"] != "refresh_token" || form["refresh_token"] != RefreshToken || form["service"] != Service)
        {
            Requests.Enqueue(("refresh token (refused)", string.Join(' ', scopes)));
            return Results.Json(new { error = "invalid_grant" }, statusCode: 401);
        }
        Requests.Enqueue((_username + " (refresh token)", string.Join(' ', scopes)));
        var access = scopes.Select(s => s.Split(':')).Where(p => p.Length == 3)
            .Select(p => new { type = "repository", name = p[1], actions = p[2].Split(',') }).ToArray();
        return Results.Json(new { access_token = Jwt(_username, access), expires_in = 300 });
    }

    private string Jwt(string subject, object access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { alg = "ES256", typ = "JWT", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new { iss = Issuer, sub = subject, aud = Service, exp = now + 300, nbf = now - 30, iat = now, jti = Guid.NewGuid().ToString("N"), access };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        // ES256 signatures in a JWT are r||s (IEEE P1363), .NET's default format.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
    }
}
