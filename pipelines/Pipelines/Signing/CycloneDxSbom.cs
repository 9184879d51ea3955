using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Signing;

/// <summary>
/// A CycloneDX JSON SBOM (as <c>trivy image --format cyclonedx</c> writes it) used as the predicate of a
/// <c>https://cyclonedx.org/bom</c> attestation, embedded as an object like <c>cosign attest --type cyclonedx</c>.
/// </summary>
internal static class CycloneDxSbom
{
    /// <summary>Reads the SBOM, or <c>null</c> when the file does not exist.</summary>
    /// <exception cref="PipelineException">The file is not CycloneDX JSON.</exception>
    public static JsonNode? Load(string path)
    {
        if (!File.Exists(path)) return null;
        JsonNode? document;
        try { document = JsonNode.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e)
        {
            throw new PipelineException($"The SBOM {path} is not valid JSON ({e.Message}); run Scan again to regenerate it.");
        }
        if (document is not JsonObject root || root["bomFormat"]?.GetValueKind() != JsonValueKind.String || root["bomFormat"]!.GetValue<string>() != "CycloneDX")
            throw new PipelineException($"The SBOM {path} is not a CycloneDX document (its bomFormat is not \"CycloneDX\"); Scan must write it with trivy --format cyclonedx.");
        return root;
    }
}
