namespace Pipelines.Signing;

/// <summary>Cosign's <c>--type</c> short names and the predicate type URIs they stand for.</summary>
internal static class PredicateTypes
{
    /// <summary>SLSA provenance v1.</summary>
    public const string SlsaProvenanceV1 = "https://slsa.dev/provenance/v1";

    /// <summary>CycloneDX SBOM.</summary>
    public const string CycloneDx = "https://cyclonedx.org/bom";

    /// <summary>cosign's vulnerability-scan attestation (<c>cosign attest --type vuln</c>).</summary>
    public const string Vulnerability = "https://cosign.sigstore.dev/attestation/vuln/v1";

    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["slsaprovenance1"] = SlsaProvenanceV1,
        ["slsaprovenance"] = "https://slsa.dev/provenance/v0.2",
        ["slsaprovenance02"] = "https://slsa.dev/provenance/v0.2",
        ["cyclonedx"] = CycloneDx,
        ["spdx"] = "https://spdx.dev/Document",
        ["spdxjson"] = "https://spdx.dev/Document",
        ["link"] = "https://in-toto.io/Link/v1",
        ["vuln"] = Vulnerability,
        ["openvex"] = "https://openvex.dev/ns",
        ["custom"] = "https://cosign.sigstore.dev/attestation/v1",
    };

    /// <summary>The URI for a short name, or the name itself when it is already a URI.</summary>
    /// <exception cref="PipelineException">Neither a known short name nor a URI.</exception>
    public static string Resolve(string name, string source = "--require-attestations")
    {
        var trimmed = name.Trim();
        if (Names.TryGetValue(trimmed, out var uri)) return uri;
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out _)) return trimmed;
        throw new PipelineException($"{source} names '{trimmed}', which is neither a predicate type URI nor one of cosign's names: {string.Join(", ", Names.Keys)}.");
    }
}
