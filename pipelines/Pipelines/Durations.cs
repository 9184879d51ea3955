namespace Pipelines;

/// <summary>
/// Durations as this toolkit writes them (<c>90s</c>, <c>1h30m</c>, <c>250ms</c>): the form a duration parameter
/// accepts back, so that a message can be copied into <c>--timeout</c>. Every layer writes durations, so the
/// formatter lives at the bottom rather than in the engine's parameter parser.
/// </summary>
public static class Durations
{
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
}
