using System.Text.Json.Serialization;

namespace Pipelines.GitHub;

/// <summary>A repository on GitHub: <c>owner/name</c>.</summary>
public sealed record GitHubRepository(string Owner, string Name)
{
    public override string ToString() => $"{Owner}/{Name}";

    /// <summary>From <c>owner/name</c>, <c>https://github.com/owner/name(.git)</c> or <c>git@github.com:owner/name.git</c>.</summary>
    public static GitHubRepository Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith(".git", StringComparison.Ordinal)) trimmed = trimmed[..^4];
        var path = trimmed.Contains("://")
            ? (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) ? uri.AbsolutePath.Trim('/') : "")
            : trimmed.Contains('@') && trimmed.Contains(':') ? trimmed[(trimmed.IndexOf(':') + 1)..]
            : trimmed;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
            throw new PipelineException($"'{text}' does not name a GitHub repository; expected owner/name or its https/ssh URL.");
        return new GitHubRepository(parts[0], parts[1]);
    }
}

/// <summary>The fields of a pull request the toolkit reads.</summary>
public sealed record PullRequest(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("html_url")] string HtmlUrl,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("head")] PullRequestRef Head,
    [property: JsonPropertyName("base")] PullRequestRef Base);

public sealed record PullRequestRef(
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("sha")] string Sha);

/// <summary>POST /repos/{owner}/{repo}/pulls.</summary>
public sealed record NewPullRequest(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("head")] string Head,
    [property: JsonPropertyName("base")] string Base,
    [property: JsonPropertyName("body")] string Body);

/// <summary>PATCH /repos/{owner}/{repo}/pulls/{number}.</summary>
public sealed record PullRequestUpdate(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string Body);

public enum CommitState { Pending, Success, Failure, Error }

/// <summary>POST /repos/{owner}/{repo}/statuses/{sha}.</summary>
public sealed record NewCommitStatus(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("context")] string Context,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("target_url")] string? TargetUrl)
{
    public NewCommitStatus(CommitState state, string context, string description, string? targetUrl = null)
        : this(state.ToString().ToLowerInvariant(), context, description.Length > 140 ? description[..140] : description, targetUrl) { }
}
