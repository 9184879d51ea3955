using System.Text.Json.Serialization;

namespace Pipelines.GitHub;

/// <summary>The fields of a pull request the toolkit reads.</summary>
public sealed record PullRequest(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("html_url")] string HtmlUrl,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("head")] PullRequestRef Head,
    [property: JsonPropertyName("base")] PullRequestRef Base);
