using System.Text;
using System.Text.Json.Nodes;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Signing;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Signing;

/// <summary>Attestations (DSSE in-toto statements in <c>.att</c>) and the Sign target's job, against a real registry.</summary>
public sealed class AttestationTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly SignedRegistry _registry = new(fixture);
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly VerificationPolicy ProvenanceAndSbom = VerificationPolicy.FromNames(["slsaprovenance1,cyclonedx"]);

    public void Dispose() => _registry.Dispose();

    private static SlsaProvenance Provenance() => new(SlsaProvenance.DefaultBuildType, "local:test", new SourceRevision("https://git.example/app.git", new string('1', 40)),
        new Dictionary<string, string> { ["configuration"] = "Release" }, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow, "terminal");

    private static JsonNode Sbom() => CycloneDxSbom.Load(TestPaths.TestData("signing", "sbom.cdx.json"))!;

    [Fact]
    public async Task Provenance_and_SBOM_attestations_round_trip_and_satisfy_the_requirement()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        await _registry.Signer.SignAsync(image, key, null, None);

        await _registry.Signer.AttestAsync(image, key, PredicateTypes.SlsaProvenanceV1, Provenance().ToPredicate(), None);
        var sbom = await _registry.Signer.AttestAsync(image, key, PredicateTypes.CycloneDx, Sbom(), None);
        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, ProvenanceAndSbom, None);

        Assert.True(result.Verified, result.Summary);
        Assert.Equal([PredicateTypes.SlsaProvenanceV1, PredicateTypes.CycloneDx], result.Attestations.Select(a => a.PredicateType));
        var layer = (await _registry.ReadAsync(sbom.Location)).Layers[1];
        Assert.Equal(DsseEnvelope.MediaType, layer.MediaType);
        Assert.Equal(PredicateTypes.CycloneDx, layer.Annotation(CosignLayer.PredicateTypeAnnotation));
        Assert.Equal("", layer.Annotation(CosignLayer.SignatureAnnotation));
        var statement = InTotoStatement.Parse(DsseEnvelope.Parse(await _registry.Store.GetBlobAsync(image, layer.Digest, None)).Payload);
        Assert.Equal(InTotoStatement.StatementV1, statement.Type);
        Assert.Equal(new InTotoSubject(image.RepositoryUrl, Digest.Hex(image.Digest!)), Assert.Single(statement.Subjects));
        Assert.Equal("CycloneDX", statement.Predicate["bomFormat"]!.GetValue<string>());
    }

    [Fact]
    public async Task Attaching_the_same_SBOM_again_with_the_same_key_adds_nothing()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        await _registry.Signer.AttestAsync(image, key, PredicateTypes.CycloneDx, Sbom(), None);

        var again = await _registry.Signer.AttestAsync(image, key, PredicateTypes.CycloneDx, Sbom(), None);

        Assert.False(again.Added);
        Assert.Single((await _registry.ReadAsync(again.Location)).Layers);
    }

    [Fact]
    public async Task A_missing_required_attestation_fails_naming_the_type()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        await _registry.Signer.SignAsync(image, key, null, None);
        await _registry.Signer.AttestAsync(image, key, PredicateTypes.SlsaProvenanceV1, Provenance().ToPredicate(), None);

        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, ProvenanceAndSbom, None);

        Assert.False(result.Verified);
        Assert.Equal([PredicateTypes.CycloneDx], result.MissingAttestations);
        Assert.Contains(PredicateTypes.CycloneDx, result.Summary);
    }

    [Fact]
    public async Task A_tampered_envelope_fails_and_does_not_count_as_the_required_attestation()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        await _registry.Signer.SignAsync(image, key, null, None);
        var attached = await _registry.Signer.AttestAsync(image, key, PredicateTypes.SlsaProvenanceV1, Provenance().ToPredicate(), None);
        var layer = Assert.Single((await _registry.ReadAsync(attached.Location)).Layers);
        var envelope = DsseEnvelope.Parse(await _registry.Store.GetBlobAsync(image, layer.Digest, None));
        var forged = (envelope with { Payload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(envelope.Payload).Replace("local:test", "https://trusted.example")) }).ToBytes();

        await _registry.WriteAsync(attached.Location, new CosignManifest([layer with { Digest = Digest.Compute(forged), Size = forged.Length }]), forged);
        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, VerificationPolicy.FromNames(["slsaprovenance1"]), None);

        Assert.False(result.Verified);
        Assert.Equal(CheckOutcome.SignatureMismatch, Assert.Single(result.Attestations).Outcome);
        Assert.Equal([PredicateTypes.SlsaProvenanceV1], result.MissingAttestations);
    }

    [Fact]
    public async Task An_attestation_about_another_digest_fails_the_subject_check()
    {
        var repository = _registry.NewRepository();
        var image = await _registry.PushImageAsync(repository);
        var other = await _registry.PushImageAsync(repository);
        using var key = SigningKey.Generate();
        await _registry.Signer.SignAsync(image, key, null, None);
        var attached = await _registry.Signer.AttestAsync(other, key, PredicateTypes.SlsaProvenanceV1, Provenance().ToPredicate(), None);

        await _registry.WriteAsync(SignedRegistry.SignatureTag(image, "att"), await _registry.ReadAsync(attached.Location));
        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, VerificationPolicy.FromNames(["slsaprovenance1"]), None);

        Assert.Equal(CheckOutcome.WrongDigest, Assert.Single(result.Attestations).Outcome);
        Assert.False(result.Verified);
    }

    [Fact]
    public async Task The_release_signer_without_a_key_makes_a_development_key_signs_and_attests()
    {
        using var keys = new TempDirectory("signing-devkeys");
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        var log = new MemoryLog();
        var signer = new ReleaseSigner(new CosignSigner(_registry.Store, log), log);
        var request = new SignRequest(image, Key: null, Password: "", keys.Combine(".gitops", "keys")) { Provenance = Provenance(), Sbom = Sbom() };

        var signed = await signer.SignAsync(request, None);
        var again = await signer.SignAsync(request with { Provenance = null, Sbom = null }, None);
        var result = await _registry.Verifier.VerifyAsync(image, VerificationKey.Load(signed.PublicKeyPath!), ProvenanceAndSbom, None);

        Assert.True(result.Verified, result.Summary);
        Assert.True(signed.Added);
        Assert.False(again.Added);
        Assert.Equal(signed.KeyFingerprint, again.KeyFingerprint);
        Assert.Contains("development key", log.Text);
        Assert.Equal([PredicateTypes.SlsaProvenanceV1, PredicateTypes.CycloneDx], signed.Attestations);
    }
}
