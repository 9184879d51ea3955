namespace Pipelines.GitHub;

/// <summary>POST /repos/{owner}/{repo}/statuses/{sha}.</summary>
internal sealed record NewCommitStatus(
    string State,
    string Context,
    string Description,
    string? TargetUrl)
{
    /// <summary>Builds a status from the typed state; GitHub's API wants it as a lowercase word.</summary>
    public NewCommitStatus(CommitState state, string context, string description, string? targetUrl = null)
        : this(state.ToString().ToLowerInvariant(), context, description.Length > 140 ? description[..140] : description, targetUrl) { }
}
