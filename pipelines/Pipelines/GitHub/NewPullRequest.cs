using System.Text.Json.Serialization;

namespace Pipelines.GitHub;

/// <summary>POST /repos/{owner}/{repo}/pulls.</summary>
public sealed record NewPullRequest(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("head")] string Head,
    [property: JsonPropertyName("base")] string Base,
    [property: JsonPropertyName("body")] string Body);
