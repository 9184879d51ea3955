using System.Text.Json.Serialization;

namespace Pipelines.GitHub;

public sealed record PullRequestRef(
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("sha")] string Sha);
