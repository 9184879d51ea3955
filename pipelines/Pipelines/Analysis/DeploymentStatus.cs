using System.Text.Json.Nodes;
using Pipelines.Kubernetes;

namespace Pipelines.Analysis;

/// <summary>The fields of an apps/v1 Deployment that <c>kubectl rollout status</c> reads, and the template's images.</summary>
internal sealed record DeploymentStatus
{
    /// <summary><c>metadata.generation</c>.</summary>
    public long Generation { get; init; }
    /// <summary><c>status.observedGeneration</c>.</summary>
    public long ObservedGeneration { get; init; }
    /// <summary><c>spec.replicas</c>; null when unset (an HPA owns it).</summary>
    public int? DesiredReplicas { get; init; }
    /// <summary><c>status.replicas</c> (non-terminating pods).</summary>
    public int Replicas { get; init; }
    /// <summary><c>status.updatedReplicas</c>.</summary>
    public int UpdatedReplicas { get; init; }
    /// <summary><c>status.availableReplicas</c>.</summary>
    public int AvailableReplicas { get; init; }
    /// <summary>The <c>Progressing</c> condition, if any.</summary>
    public Condition? Progressing { get; init; }
    /// <summary>The annotation <c>deployment.kubernetes.io/revision</c>.</summary>
    public string? Revision { get; init; }
    /// <summary>The images of the pod template's containers.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>Reads the fields from a Deployment object as the API serves it.</summary>
    public static DeploymentStatus From(JsonObject deployment)
    {
        var status = deployment["status"] as JsonObject;
        var conditions = (status?["conditions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(c => new Condition(Text(c["type"]) ?? "", Text(c["status"]) ?? "Unknown", Text(c["reason"]), Text(c["message"])));
        return new DeploymentStatus
        {
            Generation = Long(deployment["metadata"]?["generation"]),
            ObservedGeneration = Long(status?["observedGeneration"]),
            DesiredReplicas = deployment["spec"]?["replicas"] is { } replicas ? (int)Long(replicas) : null,
            Replicas = (int)Long(status?["replicas"]),
            UpdatedReplicas = (int)Long(status?["updatedReplicas"]),
            AvailableReplicas = (int)Long(status?["availableReplicas"]),
            Progressing = conditions.FirstOrDefault(c => c.Type == "Progressing"),
            Revision = Text(deployment["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"]),
            Images = (deployment["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [])
                .Select(c => Text(c?["image"])).OfType<string>().ToList(),
        };
    }

    /// <summary>
    /// The verdict <c>kubectl rollout status</c> gives (kubectl polymorphichelpers DeploymentStatusViewer), in its order:
    /// the first rule that matches decides.
    /// </summary>
    public RolloutState Judge()
    {
        if (Generation > ObservedGeneration)
            return RolloutState.Waiting("waiting for the deployment spec update to be observed");
        if (Progressing is { Reason: "ProgressDeadlineExceeded" } stalled)
            return RolloutState.Failed($"the rollout exceeded its progress deadline ({stalled})");
        if (DesiredReplicas is { } desired && UpdatedReplicas < desired)
            return RolloutState.Waiting($"{UpdatedReplicas} of {desired} new replicas updated");
        if (Replicas > UpdatedReplicas)
            return RolloutState.Waiting($"{Replicas - UpdatedReplicas} old replicas pending termination");
        if (AvailableReplicas < UpdatedReplicas)
            return RolloutState.Waiting($"{AvailableReplicas} of {UpdatedReplicas} updated replicas available");
        return RolloutState.Done($"{UpdatedReplicas} replicas updated and available{(Revision is null ? "" : $", revision {Revision}")}");
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long Long(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;
}
