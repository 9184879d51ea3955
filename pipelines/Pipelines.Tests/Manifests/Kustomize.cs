using System.Text.Json.Nodes;
using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Manifests;

/// <summary>Renders a kustomization folder with <c>kubectl kustomize</c>, as Flux's kustomize-controller would build it.</summary>
public static class Kustomize
{
    /// <summary>The objects the folder renders to, in kustomize's output order.</summary>
    public static async Task<IReadOnlyList<JsonObject>> RenderAsync(string directory, CancellationToken cancellationToken = default)
    {
        var result = await new Command("kubectl")
            .WithArguments("kustomize", directory)
            .WithOutput(OutputMode.Quiet)
            .WithTimeout(TimeSpan.FromMinutes(2))
            .WithMissingHint("install kubectl, which includes kustomize")
            .ExecuteAsync(new MemoryLog(), cancellationToken);
        result.EnsureSuccess($"kubectl kustomize {directory}");
        return YamlToJson.ParseAll(result.StandardOutput)
            .Select(node => node as JsonObject ?? throw new InvalidDataException($"kubectl kustomize {directory} rendered a document that is not an object: {node.ToJsonString()}"))
            .ToList();
    }

    /// <summary>"Kind namespace/name", for messages.</summary>
    public static string Describe(JsonObject obj) =>
        $"{obj["kind"]} {(obj["metadata"]?["namespace"] is { } ns ? ns + "/" : "")}{obj["metadata"]?["name"]}";
}
