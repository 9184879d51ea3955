namespace Pipelines.Analysis;

/// <summary>
/// What the analysis may change in the manifests repository once it has a verdict. Each action returns a line
/// describing what it did (a commit, a pull request). Nothing is done for a verdict without an action.
/// </summary>
public sealed record ReleaseActions
{
    /// <summary>Runs after a pass: the promotion to the next environment (<c>--promote-on-success</c>).</summary>
    public Func<CancellationToken, Task<string>>? Promote { get; init; }
    /// <summary>Runs after a breach: the rollback commit in the analysed environment.</summary>
    public Func<CancellationToken, Task<string>>? Rollback { get; init; }
    /// <summary>Also roll back when the analysis is inconclusive (off by default: no data is not evidence of a bad release).</summary>
    public bool RollbackOnInconclusive { get; init; }

    /// <summary>No actions: report only.</summary>
    public static ReleaseActions None { get; } = new();
}
