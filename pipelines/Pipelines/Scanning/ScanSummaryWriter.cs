using System.Text;

namespace Pipelines.Scanning;

/// <summary>
/// Writes <c>summary.md</c>: the verdict, counts per severity and a table of the findings that decided
/// the gate, for the GitHub step summary and for a person reading artifacts.
/// </summary>
internal static class ScanSummaryWriter
{
    /// <summary>Rows in the deciding-findings table; the rest are counted, not listed.</summary>
    public const int MaxRows = 50;

    /// <summary>Writes the markdown summary of a scan for the job summary page.</summary>
    public static string Write(string image, GateDecision decision, string trivyVersion)
    {
        var text = new StringBuilder();
        text.AppendLine($"### Scan {(decision.Passed ? "passed ✅" : "failed ❌")}")
            .AppendLine()
            .AppendLine($"Image `{image}`, Trivy {trivyVersion}, fail on {decision.FailOn.ToTrivyName()} or above.")
            .AppendLine()
            .AppendLine("| | " + string.Join(" | ", Severities.Descending.Select(s => s.ToTrivyName())) + " |")
            .AppendLine("| --- |" + string.Concat(Severities.Descending.Select(_ => " ---: |")))
            .AppendLine("| findings | " + string.Join(" | ", Severities.Descending.Select(s => decision.Counts[s])) + " |")
            .AppendLine("| distinct IDs | " + string.Join(" | ", Severities.Descending.Select(s => DistinctIds(decision, s))) + " |")
            .AppendLine()
            .AppendLine("A finding is one (vulnerability, package) pair, after the scan policy: a CVE found in two packages is two findings " +
                        "and one distinct ID. Secrets and misconfigurations count by their rule ID, licences by their name at Trivy's severity for its category.")
            .AppendLine();

        if (decision.Deciding.Count > 0)
        {
            text.AppendLine("| ID | Package / target | Installed | Fixed | Severity | Title |")
                .AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var finding in decision.Deciding.Take(MaxRows))
            {
                var id = finding.PrimaryUrl is { } url ? $"[{Cell(finding.Id)}]({url})" : Cell(finding.Id);
                text.AppendLine($"| {id} | {Cell(finding.Package ?? finding.Target)} | {Cell(finding.InstalledVersion)} | {Cell(finding.FixedVersion)} | {finding.Severity.ToTrivyName()} | {Cell(finding.Title)} |");
            }
            if (decision.Deciding.Count > MaxRows)
                text.AppendLine().AppendLine($"… and {decision.Deciding.Count - MaxRows} more; see `{TrivyOptions.SarifFile}` beside this summary.");
            text.AppendLine();
        }

        if (decision.Ignored.Count > 0)
        {
            text.AppendLine($"Accepted by the policy ({decision.Ignored.Count}):").AppendLine();
            foreach (var group in decision.Ignored.GroupBy(i => i.Entry))
                text.AppendLine($"- `{Cell(group.Key.Id)}` ×{group.Count()}: {Cell(group.Key.Reason)}{(group.Key.Expires is { } e ? $" (until {e:yyyy-MM-dd})" : "")}");
            text.AppendLine();
        }

        if (decision.Expired.Count > 0)
        {
            text.AppendLine("Expired policy entries (no longer ignoring):").AppendLine();
            foreach (var entry in decision.Expired) text.AppendLine($"- `{Cell(entry.Id)}` expired {entry.Expires:yyyy-MM-dd} ({Cell(entry.Source)})");
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>How many different IDs (CVEs, rule IDs) the findings of one severity carry.</summary>
    public static int DistinctIds(GateDecision decision, Severity severity) =>
        decision.Remaining.Where(f => f.Severity == severity).Select(f => f.Id).Distinct(StringComparer.Ordinal).Count();

    private static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
