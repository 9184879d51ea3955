using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipelines;

/// <summary>
/// Durations as this toolkit writes them (<c>90s</c>, <c>1h30m</c>, <c>250ms</c>): the form a duration parameter
/// accepts back, so that a message can be copied into <c>--timeout</c>. Every layer writes durations, so the
/// formatter and parser live at the bottom rather than in the engine's parameter parser.
/// </summary>
internal static partial class Durations
{
    /// <summary>
    /// <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c> or <c>00:05:00</c>; a bare number needs its unit (is <c>5</c>
    /// seconds or minutes?) except <c>0</c>. Null when the text is none of these.
    /// </summary>
    public static TimeSpan? Parse(string text)
    {
        if (text == "0") return TimeSpan.Zero;
        var match = DurationPattern().Match(text);
        if (match.Success && match.Length > 0)
        {
            var total = TimeSpan.Zero;
            foreach (Capture capture in match.Groups["part"].Captures)
            {
                var part = PartPattern().Match(capture.Value);
                var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                total += part.Groups[2].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    _ => TimeSpan.FromDays(amount),
                };
            }
            return total;
        }
        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;
    }

    /// <summary>Formats a duration the way a parameter accepts it back: days to seconds, or milliseconds below a second.</summary>
    public static string Format(TimeSpan t)
    {
        if (t == TimeSpan.Zero) return "0s";
        if (t.Milliseconds != 0 && t < TimeSpan.FromSeconds(1)) return $"{t.TotalMilliseconds:0}ms";
        var parts = new List<string>();
        if (t.Days > 0) parts.Add($"{t.Days}d");
        if (t.Hours > 0) parts.Add($"{t.Hours}h");
        if (t.Minutes > 0) parts.Add($"{t.Minutes}m");
        if (t.Seconds > 0) parts.Add($"{t.Seconds}s");
        return string.Concat(parts);
    }

    [GeneratedRegex(@"^(?<part>\d+(?:\.\d+)?(?:ms|s|m|h|d))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")]
    private static partial Regex PartPattern();
}
