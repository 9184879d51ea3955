using System.Text.RegularExpressions;

namespace Pipelines.Signing;

/// <summary>
/// Whether a key parameter's value is a path (shown: paths are not secrets, and an error about one must name it) or
/// key material (masked). In doubt it is key material: a key printed in a log cannot be taken back.
/// </summary>
internal static partial class KeyText
{
    // Windows' classic MAX_PATH: a longer one-line value is far more likely an encoded key than a path.
    private const int MaxPathLength = 260;

    /// <summary>
    /// True for one line of at most 260 characters that is an existing file, or that holds a path separator or ends in
    /// .key/.pem, and is not a long base64 run (an encoded key holds '/' too).
    /// </summary>
    public static bool IsPlausiblePath(string value)
    {
        if (value.Length is 0 or > MaxPathLength || value.IndexOfAny(['\n', '\r']) >= 0 || Pem.IsPemText(value)) return false;
        if (File.Exists(value)) return true;
        if (Base64Run().IsMatch(value)) return false;
        return value.IndexOfAny(['/', '\\']) >= 0
               || value.EndsWith(".key", StringComparison.OrdinalIgnoreCase)
               || value.EndsWith(".pem", StringComparison.OrdinalIgnoreCase);
    }

    // 40 characters and more of the base64 (and base64url) alphabet alone: 30 bytes and up, a key's size, with no dot
    // of a file extension; a path made only of such characters is masked, which is the safe side.
    [GeneratedRegex("^[A-Za-z0-9+/_-]{40,}={0,2}$")]
    private static partial Regex Base64Run();
}
