using System.Text.Json.Serialization;

namespace Pipelines.GitHub;

/// <summary>POST /repos/{owner}/{repo}/statuses/{sha}.</summary>
public sealed record NewCommitStatus(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("context")] string Context,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("target_url")] string? TargetUrl)
{
    /// <summary>Builds a status from the typed state; GitHub's API wants it as a lowercase word.</summary>
    public NewCommitStatus(CommitState state, string context, string description, string? targetUrl = null)
        : this(state.ToString().ToLowerInvariant(), context, description.Length > 140 ? description[..140] : description, targetUrl) { }
}
