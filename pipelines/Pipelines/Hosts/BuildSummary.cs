using System.Text;
namespace Pipelines.Hosts;

/// <summary>The table printed at the end of a build.</summary>
internal sealed record BuildSummary(IReadOnlyList<TargetOutcome> Targets, TimeSpan Duration)
{
    /// <summary>True when every target either succeeded or was skipped.</summary>
    public bool Succeeded => Targets.All(t => t.Status is TargetStatus.Succeeded or TargetStatus.Skipped);

    /// <summary>What went wrong around the targets without failing them (a notification not delivered): one row each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The status column's word for a target outcome.</summary>
    public static string StatusText(TargetOutcome outcome) => outcome.Status switch
    {
        TargetStatus.Succeeded => "succeeded",
        TargetStatus.Failed => "failed",
        TargetStatus.Skipped => outcome.Reason is null ? "skipped" : $"skipped ({outcome.Reason})",
        _ => "not run",
    };

    /// <summary>The duration column for a target outcome; empty for a target that was skipped or did not run.</summary>
    public static string DurationText(TargetOutcome outcome) =>
        outcome.Status is TargetStatus.Succeeded or TargetStatus.Failed ? FormatDuration(outcome.Duration) : "";

    /// <summary>Formats a duration as <c>m:ss</c>, the form every host's summary uses.</summary>
    public static string FormatDuration(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1) ? "< 1s" : $"{(int)duration.TotalMinutes}:{duration.Seconds:00}";

    /// <summary>The notes column: the failure reason first, then the target's notes.</summary>
    public static string NotesText(TargetOutcome outcome, string separator = "; ")
    {
        var notes = outcome.Notes.Select(n => $"{n.Key}: {n.Value}").ToList();
        if (outcome.Status == TargetStatus.Failed && outcome.Reason is not null) notes.Insert(0, outcome.Reason);
        return string.Join(separator, notes);
    }

    /// <summary>A plain aligned table, for logs that are not a terminal.</summary>
    public string ToText()
    {
        var rows = Targets.Select(t => new[] { t.Name, StatusText(t), DurationText(t), NotesText(t) })
            .Concat(Warnings.Select(w => new[] { "Warning", "", "", w })).ToList();
        rows.Insert(0, ["Target", "Status", "Duration", "Notes"]);
        rows.Add(["Total", Succeeded ? "succeeded" : "failed", FormatDuration(Duration), ""]);
        var widths = Enumerable.Range(0, 3).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var builder = new StringBuilder();
        var rule = new string('─', widths.Sum() + 6 + Math.Min(40, rows.Max(r => r[3].Length)));
        builder.AppendLine(rule);
        for (var r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1) builder.AppendLine(rule);
            var row = rows[r];
            builder.AppendLine($"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2].PadRight(widths[2])}  {row[3]}".TrimEnd());
            if (r == 0) builder.AppendLine(rule);
        }
        builder.AppendLine(rule);
        return builder.ToString();
    }

    /// <summary>A markdown table, for GitHub's job summary.</summary>
    public string ToMarkdown()
    {
        var builder = new StringBuilder();
        builder.AppendLine("| Target | Status | Duration | Notes |");
        builder.AppendLine("| --- | --- | --- | --- |");
        foreach (var t in Targets)
            builder.AppendLine($"| {Escape(t.Name)} | {Escape(StatusText(t))} | {DurationText(t)} | {Escape(NotesText(t, "<br>"))} |");
        foreach (var warning in Warnings)
            builder.AppendLine($"| ⚠️ Warning | | | {Escape(warning)} |");
        builder.AppendLine($"| **Total** | **{(Succeeded ? "succeeded" : "failed")}** | {FormatDuration(Duration)} | |");
        return builder.ToString();
    }

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
