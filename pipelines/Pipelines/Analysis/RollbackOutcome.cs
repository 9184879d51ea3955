namespace Pipelines.Analysis;

/// <summary>What a rollback action did: a revert commit, or nothing and why (the environment no longer runs the judged release).</summary>
/// <param name="RolledBack">True when a rollback commit was pushed.</param>
/// <param name="Description">The commit, or why nothing was changed.</param>
internal sealed record RollbackOutcome(bool RolledBack, string Description);
