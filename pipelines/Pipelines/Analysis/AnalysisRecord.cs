namespace Pipelines.Analysis;

/// <summary>What the pipeline state keeps of an analysis (the report itself holds NaN and infinities JSON cannot store).</summary>
/// <param name="Environment">The environment analysed.</param>
/// <param name="Verdict"><c>pass</c>, <c>breach</c> or <c>inconclusive</c>.</param>
/// <param name="Message">The verdict's message.</param>
/// <param name="Action">What was done about it.</param>
/// <param name="Checks">How many checks ran.</param>
/// <param name="FinishedAt">When the verdict was reached.</param>
internal sealed record AnalysisRecord(string Environment, string Verdict, string Message, string Action, int Checks, DateTimeOffset FinishedAt)
{
    /// <summary>The record of <paramref name="report"/> for <paramref name="environment"/>.</summary>
    public static AnalysisRecord From(AnalysisReport report, string environment) =>
        new(environment, report.VerdictText, report.Message, report.Action, report.Checks.Count, DateTimeOffset.UtcNow);
}
