namespace Pipelines.Signing;

/// <summary>What an image must carry to pass verification.</summary>
/// <param name="RequiredPredicateTypes">Predicate type URIs that must each have a verified attestation (see <see cref="PredicateTypes.Resolve"/>).</param>
/// <param name="RequiredAnnotations">Entries the signature payload's <c>optional</c> map must hold (<c>cosign verify -a</c>).</param>
internal sealed record VerificationPolicy(
    IReadOnlyList<string>? RequiredPredicateTypes = null,
    IReadOnlyDictionary<string, string>? RequiredAnnotations = null)
{
    /// <summary>Just a valid signature.</summary>
    public static VerificationPolicy SignatureOnly { get; } = new();

    /// <summary>Builds a policy from <c>--require-attestations slsaprovenance1,cyclonedx</c>.</summary>
    public static VerificationPolicy FromNames(IEnumerable<string>? names) =>
        new((names ?? []).SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(n => PredicateTypes.Resolve(n)).Distinct().ToList());
}
