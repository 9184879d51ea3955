namespace Shortlink.Links;

/// <summary>Decides which URLs may be shortened.</summary>
public static class TargetUrl
{
    /// <summary>Longest accepted URL; browsers and proxies reject much longer ones anyway.</summary>
    public const int MaxLength = 2048;

    /// <summary>Parses <paramref name="value"/> as an absolute http(s) URL.</summary>
    /// <param name="value">The candidate URL.</param>
    /// <param name="target">The parsed URL when valid, in its ASCII form (internationalized host names punycoded).</param>
    /// <param name="error">Why the value was refused, phrased for the client.</param>
    public static bool TryParse(string? value, out Uri target, out string error)
    {
        target = null!;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "The url field is required: send {\"url\": \"https://example.com/...\"}.";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"The url is {value.Length} characters long; at most {MaxLength} are accepted.";
            return false;
        }

        // Uri.TryCreate alone is not enough: on Linux "/etc/passwd" parses as an absolute file:// URI.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            error = $"The url '{value}' is not an absolute http or https URL such as https://example.com/page.";
            return false;
        }

        // The URL ends up in a Location header, which must be ASCII: punycode the host (the rest is already escaped).
        if (!TryToAscii(uri, out var ascii))
        {
            error = $"The url '{value}' cannot be written as an ASCII URL for the redirect.";
            return false;
        }

        target = ascii;
        error = "";
        return true;
    }

    private static bool TryToAscii(Uri uri, out Uri ascii)
    {
        try
        {
            ascii = new UriBuilder(uri) { Host = uri.IdnHost }.Uri;
            return ascii.AbsoluteUri.All(char.IsAscii);
        }
        catch (UriFormatException)
        {
            ascii = null!;
            return false;
        }
    }
}
