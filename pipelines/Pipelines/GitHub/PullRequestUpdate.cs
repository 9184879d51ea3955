using System.Text.Json.Serialization;

namespace Pipelines.GitHub;

/// <summary>PATCH /repos/{owner}/{repo}/pulls/{number}.</summary>
public sealed record PullRequestUpdate(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string Body);
