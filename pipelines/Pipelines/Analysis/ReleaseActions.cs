namespace Pipelines.Analysis;

/// <summary>
/// What the analysis may change in the manifests repository once it has a verdict. Each action returns a line
/// describing what it did (a commit, a pull request). Nothing is done for a verdict without an action.
/// </summary>
internal sealed record ReleaseActions
{
    /// <summary>Runs after a pass: the promotion to the next environment (<c>--promote-on-success</c>).</summary>
    public Func<CancellationToken, Task<string>>? Promote { get; init; }
    /// <summary>
    /// Runs after a breach: the rollback commit in the analysed environment, guarded so that it reverts only the judged
    /// release while the environment still runs it (otherwise it declines and says why).
    /// </summary>
    public Func<CancellationToken, Task<RollbackOutcome>>? Rollback { get; init; }
    /// <summary>
    /// Also roll back when the data left the analysis inconclusive (no samples, NaN, too many inconclusive checks). Off by
    /// default: no data is not evidence of a bad release. A configuration error (<see cref="AnalysisVerdict.Error"/>) never rolls back.
    /// </summary>
    public bool RollbackOnInconclusive { get; init; }

    /// <summary>No actions: report only.</summary>
    public static ReleaseActions None { get; } = new();

    /// <summary>Takes the action a verdict calls for in <paramref name="environment"/> and says what was done (or why nothing was).</summary>
    public async Task<string> ActAsync(AnalysisVerdict verdict, string environment, CancellationToken cancellationToken)
    {
        switch (verdict)
        {
            case AnalysisVerdict.Pass when Promote is { } promote:
                return "Promoted: " + await promote(cancellationToken);
            case AnalysisVerdict.Pass:
                return "No promotion (pass --promote-on-success to promote to the next environment).";
            case AnalysisVerdict.Breach when Rollback is { } rollback:
                return Describe(await rollback(cancellationToken), environment, "");
            case AnalysisVerdict.Breach:
                return $"No rollback configured: {environment} still runs the breaching release; run `Rollback --environment {environment}`.";
            case AnalysisVerdict.Inconclusive when RollbackOnInconclusive && Rollback is { } rollback:
                return Describe(await rollback(cancellationToken), environment, " (--rollback-on-inconclusive)");
            case AnalysisVerdict.Error:
                return $"No promotion and no rollback: Prometheus could not answer, which says nothing about the release; {environment} keeps it. Fix the configuration and run Analyze again.";
            default:
                return $"No promotion and no rollback: {environment} keeps the new release until the analysis can answer (--rollback-on-inconclusive rolls back instead).";
        }
    }

    private static string Describe(RollbackOutcome outcome, string environment, string why) =>
        outcome.RolledBack ? $"Rolled back {environment}{why}: {outcome.Description}" : $"Not rolled back{why}: {outcome.Description}";
}
