using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipelines.TektonLocal;

/// <summary>Kubernetes/Go spellings Tekton uses: durations (<c>1h0m0s</c>), CPU (<c>500m</c>) and memory (<c>512Mi</c>).</summary>
internal static partial class Quantities
{
    public static TimeSpan? Duration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        // Go's ParseDuration takes a bare 0 (no unit); Tekton reads it as "no timeout".
        if (text.Trim() == "0") return TimeSpan.Zero;
        var matches = GoDuration().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
            throw new PipelineException($"\"{text}\" is not a duration Tekton accepts (e.g. 1h0m0s, 90s, 5m).");
        var total = TimeSpan.Zero;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n), "m" => TimeSpan.FromMinutes(n), "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n), _ => TimeSpan.FromMilliseconds(n / 1000),
            };
        }
        return total;
    }

    public static long? NanoCpus(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.EndsWith('m')
            ? long.Parse(text[..^1], CultureInfo.InvariantCulture) * 1_000_000
            : (long)(double.Parse(text, CultureInfo.InvariantCulture) * 1_000_000_000);
    }

    public static long? Bytes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = Memory().Match(text.Trim());
        if (!m.Success) throw new PipelineException($"\"{text}\" is not a memory quantity (e.g. 512Mi, 2Gi).");
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var factor = m.Groups[2].Value switch
        {
            "Ki" => 1L << 10, "Mi" => 1L << 20, "Gi" => 1L << 30, "Ti" => 1L << 40,
            "k" => 1_000L, "M" => 1_000_000L, "G" => 1_000_000_000L, "T" => 1_000_000_000_000L, _ => 1L,
        };
        return (long)(n * factor);
    }

    public static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes}m{span.Seconds}s"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds}s"
        : $"{Math.Max(0, span.Seconds)}s";

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|us|µs|m|s)")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$")]
    private static partial Regex Memory();
}
