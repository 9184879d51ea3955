namespace Pipelines.GitHub;

/// <summary>PATCH /repos/{owner}/{repo}/pulls/{number}.</summary>
internal sealed record PullRequestUpdate(
    string Title,
    string Body);
