namespace Pipelines.Analysis;

/// <summary>
/// What the pipeline state keeps of an analysis (the report itself holds NaN and infinities JSON cannot store): the
/// verdict, and what it judged (environment, deploy commit, digests), so a second Analyze of the same deploy reports
/// this verdict instead of acting twice.
/// </summary>
/// <param name="Environment">The environment analysed.</param>
/// <param name="Verdict"><c>pass</c>, <c>breach</c>, <c>inconclusive</c> or <c>error</c>.</param>
/// <param name="Message">The verdict's message.</param>
/// <param name="Action">What was done about it.</param>
/// <param name="Checks">How many checks ran.</param>
/// <param name="FinishedAt">When the verdict was reached.</param>
internal sealed record AnalysisRecord(string Environment, string Verdict, string Message, string Action, int Checks, DateTimeOffset FinishedAt)
{
    /// <summary>The deploy commit judged (Deploy's <c>DEPLOY_COMMIT</c> for this environment), when known.</summary>
    public string? DeployCommit { get; init; }

    /// <summary>Each analysed app's digest the environment ran when the analysis started (digest-pinned apps only).</summary>
    public IReadOnlyDictionary<string, string> Digests { get; init; } = new Dictionary<string, string>();

    /// <summary>The record of <paramref name="report"/> for <paramref name="environment"/>, naming what was judged.</summary>
    public static AnalysisRecord From(AnalysisReport report, string environment, string? deployCommit, IReadOnlyDictionary<string, string> digests) =>
        new(environment, report.VerdictText, report.Message, report.Action, report.Checks.Count, DateTimeOffset.UtcNow)
        {
            DeployCommit = deployCommit,
            Digests = digests,
        };

    /// <summary>
    /// Whether this record judged the same deploy: same environment, same deploy commit and same digests. An error
    /// verdict judged nothing (Prometheus could not answer), so it never stands for the deploy.
    /// </summary>
    public bool Judged(string environment, string? deployCommit, IReadOnlyDictionary<string, string> digests) =>
        Verdict != "error" && Environment == environment && DeployCommit == deployCommit && Digests.Count > 0
        && Digests.Count == digests.Count && digests.All(d => Digests.TryGetValue(d.Key, out var digest) && digest == d.Value);

    /// <summary>What a second Analyze of the same deploy says instead of measuring and acting again.</summary>
    public string AlreadyJudged() =>
        $"Already judged: {Environment} at {(DeployCommit is { } commit ? Short(commit) : "its current head")} "
        + $"({string.Join(", ", Digests.Select(d => $"{d.Key}@{Short(d.Value[(d.Value.IndexOf(':') + 1)..])}"))}) was analysed at {FinishedAt:yyyy-MM-dd HH:mm:ss}Z: "
        + $"{Verdict}. {Message} {Action} Nothing was done this time; --fresh analyses it again.";

    private static string Short(string text) => text.Length > 12 ? text[..12] : text;
}
