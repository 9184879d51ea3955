using Pipelines.GitHub;

namespace Pipelines.GitOps;

/// <summary>Where pull requests for a pull-request environment are opened.</summary>
internal sealed record PullRequestSettings(GitHubClient Client, GitHubRepository Repository, string BaseBranch);
