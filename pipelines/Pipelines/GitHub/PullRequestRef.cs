namespace Pipelines.GitHub;

/// <summary>One end of a pull request: the branch and the commit it points at.</summary>
/// <param name="Ref">The branch name, without <c>refs/heads/</c>.</param>
/// <param name="Sha">The commit the branch points at.</param>
internal sealed record PullRequestRef(
    string Ref,
    string Sha);
