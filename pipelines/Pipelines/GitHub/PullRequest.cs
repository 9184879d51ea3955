namespace Pipelines.GitHub;

/// <summary>The fields of a pull request the toolkit reads.</summary>
internal sealed record PullRequest(
    int Number,
    string HtmlUrl,
    string State,
    string Title,
    string? Body,
    PullRequestRef Head,
    PullRequestRef Base);
