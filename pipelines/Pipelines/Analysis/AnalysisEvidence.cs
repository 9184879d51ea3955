using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipelines.Analysis;

/// <summary>
/// What one app's analysis saw, as <c>artifacts/analysis/&lt;app&gt;.json</c>: the verdict, and per objective (or
/// probe) its threshold and the value of every check. JSON has no NaN or infinity: such a value is null with its text
/// in <see cref="EvidencePoint.Text"/>.
/// </summary>
internal sealed record AnalysisEvidence(
    string App, string? Environment, string Verdict, string Message, string Action, string PrometheusLag,
    IReadOnlyList<EvidenceCheck> Checks, IReadOnlyList<EvidenceObjective> Objectives)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The evidence of one app's report (an entry of <see cref="AnalysisReport.PerApp"/>); the action is the whole deploy's.</summary>
    public static AnalysisEvidence Of(AnalysisReport report, string action) => new(
        report.App ?? "", report.Environment, report.VerdictText, report.Message, action, Durations.Format(report.PrometheusLag),
        [.. report.Checks.Select(c => new EvidenceCheck(c.Number, c.Time, c.Verdict.ToString().ToLowerInvariant(), c.Reason))],
        [.. ObjectiveSeries.Of(report.Checks).Select(s => new EvidenceObjective(
            s.Objective.Name, s.Objective.Probe is null ? "query" : "probe", s.Objective.Query, s.Objective.Operator, s.Objective.Threshold,
            [.. s.Points.Select(p => new EvidencePoint(p.Check, p.Time, p.Plotted ? p.Value : null,
                p.Value is { } v && !p.Plotted ? ObjectiveMeasurement.Format(v) : null, p.Met, p.Problem))]))]);

    /// <summary>Writes one file per analysed app of <paramref name="report"/>; <paramref name="pathOf"/> gives an app's file (the workspace layout's).</summary>
    public static IReadOnlyList<string> WriteAll(AnalysisReport report, Func<string, string> pathOf)
    {
        var written = new List<string>();
        foreach (var app in report.PerApp.Where(r => r.App is { Length: > 0 }))
        {
            var path = pathOf(app.App!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(Of(app, report.Action), Options));
            written.Add(path);
        }
        return written;
    }
}

/// <summary>One check: when it was evaluated and its verdict.</summary>
internal sealed record EvidenceCheck(int Number, DateTimeOffset EvaluatedAt, string Verdict, string? Reason);

/// <summary>One objective or probe: what it measures, its bound and every value observed.</summary>
/// <param name="Kind"><c>query</c> or <c>probe</c>.</param>
/// <param name="Source">The PromQL (unrendered) or the probe's URL.</param>
internal sealed record EvidenceObjective(string Name, string Kind, string Source, string Comparison, double Threshold, IReadOnlyList<EvidencePoint> Values);

/// <summary>One observation; <see cref="Value"/> is null without a finite value (<see cref="Text"/> holds NaN/±Inf, <see cref="Problem"/> why there is none).</summary>
internal sealed record EvidencePoint(int Check, DateTimeOffset EvaluatedAt, double? Value, string? Text, bool? Met, string? Problem);
