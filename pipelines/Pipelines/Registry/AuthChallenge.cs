using System.Net.Http.Headers;

namespace Pipelines.Registry;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge: <c>Basic realm="…"</c> or <c>Bearer realm="…",service="…",scope="…"</c>.</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>True for a Bearer (token service) challenge.</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a Basic challenge.</summary>
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>The realm: the token service URL for Bearer.</summary>
    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>The service name to ask the token service for.</summary>
    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The first Bearer or Basic challenge of a response, or null.</summary>
    public static AuthChallenge? From(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        var challenges = headers.Select(h => Parse(h.Scheme, h.Parameter)).ToList();
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Parses <c>key="value",key2="value2"</c> (quoted values may hold commas, as scopes do).</summary>
    public static AuthChallenge Parse(string scheme, string? parameter)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameter ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var equals = text.IndexOf('=', i);
            if (equals < 0) break;
            var key = text[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new System.Text.StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    builder.Append(text[i++]);
                }
                i++;
                value = builder.ToString();
            }
            else
            {
                var comma = text.IndexOf(',', i);
                value = (comma < 0 ? text[i..] : text[i..comma]).Trim();
                i = comma < 0 ? text.Length : comma;
            }
            values[key] = value;
        }
        return new AuthChallenge(scheme, values);
    }
}
