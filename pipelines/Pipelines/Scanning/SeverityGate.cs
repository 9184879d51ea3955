namespace Pipelines.Scanning;

/// <summary>
/// Decides pass or fail from the report's findings, never from Trivy's exit code: a finding at or above
/// the threshold that no current policy entry accepts fails the gate.
/// </summary>
internal static class SeverityGate
{
    /// <summary>Decides whether the report passes: findings at or above <paramref name="failOn"/> fail unless the policy accepts them.</summary>
    public static GateDecision Evaluate(TrivyReport report, ScanPolicy policy, Severity failOn, DateOnly today)
    {
        var expired = policy.Entries.Where(e => e.IsExpired(today)).ToList();
        var active = policy.Entries.Where(e => !e.IsExpired(today)).ToList();

        var remaining = new List<Finding>();
        var ignored = new List<IgnoredFinding>();
        foreach (var finding in report.Findings())
        {
            if (active.FirstOrDefault(e => e.Matches(finding)) is { } entry) ignored.Add(new IgnoredFinding(finding, entry));
            else remaining.Add(finding);
        }

        // Highest severity first, then the highest score, so the top of the list is what to fix first.
        var ordered = remaining
            .OrderByDescending(f => f.Severity)
            .ThenByDescending(f => f.CvssScore ?? -1)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ThenBy(f => f.Package ?? f.Target, StringComparer.Ordinal)
            .ToList();
        var deciding = ordered.Where(f => f.Severity >= failOn).ToList();
        return new GateDecision(deciding.Count == 0, failOn, SeverityCounts.Of(remaining), ordered, deciding, ignored, expired);
    }
}
