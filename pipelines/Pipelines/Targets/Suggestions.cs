namespace Pipelines.Targets;

/// <summary>"Did you mean" for mistyped targets and parameters.</summary>
internal static class Suggestions
{
    /// <summary>The error for an unknown name, with the closest valid one and the full list.</summary>
    public static string UnknownMessage(string what, string given, IEnumerable<string> valid)
    {
        var options = valid.ToList();
        var closest = Closest(given, options);
        var hint = closest is null ? "" : $" Did you mean '{closest}'?";
        return $"Unknown {what} '{given}'.{hint} Valid: {string.Join(", ", options)}.";
    }

    /// <summary>The candidate nearest to a mistyped name; null when none is close.</summary>
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: Distance(given.ToLowerInvariant(), c.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        if (best.Candidate is null) return null;
        var allowed = Math.Max(2, given.Length / 3);
        return best.Distance <= allowed ? best.Candidate : null;
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
