using System.Text.Json.Nodes;
using Pipelines.Oci;

namespace Pipelines.Signing;

/// <summary>What the Sign target asks for.</summary>
/// <param name="Image">The image, pinned by digest.</param>
/// <param name="Key">The key: PEM text or a file path; <c>null</c> means a local development key in <see cref="DevelopmentKeyDirectory"/>.</param>
/// <param name="Password">The key password (empty is valid).</param>
/// <param name="DevelopmentKeyDirectory">Where the development key lives or is generated (<see cref="Workspace.WorkspaceLayout.KeysDirectory"/>).</param>
internal sealed record SignRequest(ImageReference Image, string? Key, string Password, string DevelopmentKeyDirectory)
{
    /// <summary>The payload's <c>optional</c> annotations.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>SLSA provenance to attach; none when <c>null</c>.</summary>
    public SlsaProvenance? Provenance { get; init; }

    /// <summary>A CycloneDX SBOM to attach; none when <c>null</c>.</summary>
    public JsonNode? Sbom { get; init; }

    /// <summary>A passing scan of this digest as a vuln predicate, attested so later pipelines can trust it.</summary>
    public JsonNode? ScanResults { get; init; }

    /// <summary>
    /// Whether a missing key may be replaced by a development key. Only on a laptop: in CI a missing key secret
    /// must fail, or an image signed by a throwaway key would pass a gate that checks the same throwaway key.
    /// </summary>
    public bool AllowDevelopmentKey { get; init; } = true;
}
