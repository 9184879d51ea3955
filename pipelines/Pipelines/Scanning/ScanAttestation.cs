using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Workspace;

namespace Pipelines.Scanning;

/// <summary>
/// A scan verdict as the predicate of cosign's vulnerability attestation
/// (<c>https://cosign.sigstore.dev/attestation/vuln/v1</c>): signed next to the image, so a later pipeline
/// (a promotion, another Tekton workspace) can trust the scan of that exact digest without the state file.
/// </summary>
internal static class ScanAttestation
{
    /// <summary>The predicate for a verdict, in cosign's vuln layout with the verdict under <c>scanner.result</c>.</summary>
    public static JsonNode ToPredicate(ScanVerdict verdict) => new JsonObject
    {
        ["invocation"] = new JsonObject { ["uri"] = "", ["event_id"] = "", ["builder.id"] = "gitops-pipeline" },
        ["scanner"] = new JsonObject
        {
            ["uri"] = $"pkg:github/aquasecurity/trivy@{verdict.TrivyVersion}",
            ["version"] = verdict.TrivyVersion,
            ["result"] = JsonSerializer.SerializeToNode(verdict, PipelineState.Json),
        },
        ["metadata"] = new JsonObject
        {
            ["scanStartedOn"] = verdict.ScannedAt.ToString("O"),
            ["scanFinishedOn"] = verdict.ScannedAt.ToString("O"),
        },
    };

    /// <summary>The verdict inside a (verified) predicate, or null when it holds none.</summary>
    public static ScanVerdict? FromPredicate(JsonNode? predicate)
    {
        try
        {
            return ((predicate as JsonObject)?["scanner"] as JsonObject)?["result"] is JsonObject result
                ? result.Deserialize<ScanVerdict>(PipelineState.Json)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }
}
