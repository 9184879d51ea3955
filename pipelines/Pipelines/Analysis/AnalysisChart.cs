using System.Globalization;
using System.Text;

namespace Pipelines.Analysis;

/// <summary>One objective's (or probe's) observations across the checks of an analysis.</summary>
/// <param name="Objective">What was measured, with its threshold.</param>
/// <param name="Points">One per check that measured it, in check order.</param>
internal sealed record ObjectiveSeries(Objective Objective, IReadOnlyList<SeriesPoint> Points)
{
    /// <summary>The finite values (what a chart can plot); NaN and infinities are gaps.</summary>
    public IEnumerable<double> Plotted => Points.Where(p => p.Plotted).Select(p => p.Value!.Value);

    /// <summary>Each objective of the checks with what every check observed, in the order the objectives were first measured.</summary>
    public static IReadOnlyList<ObjectiveSeries> Of(IReadOnlyList<AnalysisCheck> checks) =>
        [.. checks.SelectMany(c => c.Measurements).Select(m => m.Objective).DistinctBy(o => o.Name)
            .Select(o => new ObjectiveSeries(o, [.. checks.SelectMany(c => c.Measurements.Where(m => m.Objective.Name == o.Name)
                .Select(m => new SeriesPoint(c.Number, c.Time, m.HasValue ? m.Value : null, m.HasValue ? m.Detail : m.Problem, m.HasValue ? m.Met : null)))]))];
}

/// <summary>One observation: a value, or none and why.</summary>
/// <param name="Check">The check's number.</param>
/// <param name="Time">The evaluation time sent to Prometheus.</param>
/// <param name="Value">The observed value; null when there was no answer.</param>
/// <param name="Problem">Why there is no value (or a probe's failed request); null otherwise.</param>
/// <param name="Met">Whether the value kept the threshold; null without a value.</param>
internal sealed record SeriesPoint(int Check, DateTimeOffset Time, double? Value, string? Problem, bool? Met)
{
    /// <summary>A finite value a chart can place.</summary>
    public bool Plotted => Value is { } v && double.IsFinite(v);
}

/// <summary>
/// Shows what an analysis saw: per objective, the values across the window against the threshold, as a Mermaid
/// <c>xychart-beta</c> (GitHub renders it in the step summary) and as a terminal sparkline (▁▂▃▄▅▆▇█).
/// </summary>
internal static class AnalysisChart
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// A sparkline of <paramref name="series"/>, scaled over its values and threshold together (so a flat line at the top
    /// next to a low threshold reads as "well clear"): one block per check, <c>·</c> for a check without a value.
    /// </summary>
    public static string Sparkline(ObjectiveSeries series)
    {
        var (low, high) = Range(series);
        return string.Concat(series.Points.Select(p => !p.Plotted ? '·'
            : high == low ? Blocks[Blocks.Length / 2]
            : Blocks[(int)Math.Round((p.Value!.Value - low) / (high - low) * (Blocks.Length - 1))]));
    }

    /// <summary>
    /// A Mermaid <c>xychart-beta</c> block: the observed values as a line over the checks' evaluation times, the threshold
    /// as a second, flat line. Checks without a value are left out of the x-axis and listed under the chart instead
    /// (a chart line has no gaps, and a made-up value would lie).
    /// </summary>
    public static string Mermaid(ObjectiveSeries series)
    {
        var plotted = series.Points.Where(p => p.Plotted).ToList();
        var text = new StringBuilder();
        var o = series.Objective;
        if (plotted.Count > 0)
        {
            var (low, high) = Range(series);
            if (high == low) (low, high) = (low - Math.Max(1, Math.Abs(low) * 0.1), high + Math.Max(1, Math.Abs(high) * 0.1));
            text.AppendLine("```mermaid").AppendLine("xychart-beta");
            text.AppendLine($"    title \"{Quote(o.Name)} (threshold {o.Operator} {ObjectiveMeasurement.Format(o.Threshold)})\"");
            text.AppendLine($"    x-axis [{string.Join(", ", plotted.Select(p => $"\"{p.Time:HH:mm:ss}\""))}]");
            text.AppendLine($"    y-axis \"{(o.Probe is null ? "observed" : "successes in a row")}\" {Number(low)} --> {Number(high)}");
            text.AppendLine($"    line [{string.Join(", ", plotted.Select(p => Number(p.Value!.Value)))}]");
            text.AppendLine($"    line [{string.Join(", ", plotted.Select(_ => Number(o.Threshold)))}]");
            text.AppendLine("```");
        }
        var gaps = series.Points.Where(p => !p.Plotted).ToList();
        if (gaps.Count > 0)
            text.AppendLine().AppendLine($"{(plotted.Count == 0 ? "No value to chart" : "Not charted")}: "
                + string.Join("; ", gaps.Select(p => $"check {p.Check} ({p.Time:HH:mm:ss}): {(p.Value is { } v ? ObjectiveMeasurement.Format(v) : p.Problem)}".Replace("|", "\\|"))) + ".");
        return text.ToString();
    }

    /// <summary>The verdict table for the terminal: one row per objective with its sparkline, last, lowest and highest value.</summary>
    public static string TerminalTable(AnalysisReport report)
    {
        var series = ObjectiveSeries.Of(report.Checks);
        var rows = series.Select(s => (
            Name: s.Objective.Name,
            Threshold: $"{s.Objective.Operator} {ObjectiveMeasurement.Format(s.Objective.Threshold)}",
            Spark: Sparkline(s),
            Last: s.Points.Count == 0 ? "—" : s.Points[^1].Value is { } v ? ObjectiveMeasurement.Format(v) : "no answer",
            Span: s.Plotted.Any() ? $"{ObjectiveMeasurement.Format(s.Plotted.Min())}..{ObjectiveMeasurement.Format(s.Plotted.Max())}" : "—",
            Kept: $"{s.Points.Count(p => p.Met == true)}/{s.Points.Count}")).ToList();
        string[] header = ["objective", "threshold", "checks", "last", "range", "kept"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => new[] { r.Name, r.Threshold, r.Spark, r.Last, r.Span, r.Kept }[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder($"Verdict {report.VerdictText} for {report.App ?? "the release"} ({AnalysisReport.EvaluationNote(report.PrometheusLag)}):\n");
        text.AppendLine("  " + string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var r in rows)
            text.AppendLine("  " + string.Join("  ", new[] { r.Name, r.Threshold, r.Spark, r.Last, r.Span, r.Kept }.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        return text.ToString().TrimEnd();
    }

    /// <summary>The plotted values and the threshold together: the y-range every view of one objective shares.</summary>
    private static (double Low, double High) Range(ObjectiveSeries series)
    {
        var values = series.Plotted.Append(series.Objective.Threshold).ToList();
        return (values.Min(), values.Max());
    }

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Quote(string text) => text.Replace("\"", "'");
}
