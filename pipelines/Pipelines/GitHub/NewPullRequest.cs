namespace Pipelines.GitHub;

/// <summary>POST /repos/{owner}/{repo}/pulls.</summary>
internal sealed record NewPullRequest(
    string Title,
    string Head,
    string Base,
    string Body);
