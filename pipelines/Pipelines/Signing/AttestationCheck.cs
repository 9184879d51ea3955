namespace Pipelines.Signing;

/// <summary>One attestation layer of the <c>.att</c> manifest and what the verifier concluded.</summary>
internal sealed record AttestationCheck(int Index, string LayerDigest, string? PredicateType, CheckOutcome Outcome, string Reason)
{
    /// <summary>The signed predicate, for a verified attestation only: nothing unverified is ever read.</summary>
    public System.Text.Json.Nodes.JsonNode? Predicate { get; init; }

    /// <summary>True when the attestation was found and verified.</summary>
    public bool Verified => Outcome == CheckOutcome.Verified;
}
