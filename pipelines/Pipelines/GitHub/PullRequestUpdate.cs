namespace Pipelines.GitHub;

/// <summary>PATCH /repos/{owner}/{repo}/pulls/{number}.</summary>
public sealed record PullRequestUpdate(
    string Title,
    string Body);
