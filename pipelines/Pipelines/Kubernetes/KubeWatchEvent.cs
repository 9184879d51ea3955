using System.Text.Json.Nodes;

namespace Pipelines.Kubernetes;

/// <summary>One change seen by <see cref="KubernetesClient.WatchAsync"/>.</summary>
/// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c> or <c>ERROR</c>.</param>
/// <param name="Object">The object after the change (for <c>ERROR</c>, the Status the server sent).</param>
internal sealed record KubeWatchEvent(string Type, JsonObject Object);
