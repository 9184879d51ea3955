using System.Text;
using Pipelines.Oci;
using Pipelines.Signing;
using Pipelines.Tests.Registry;

namespace Pipelines.Tests.Signing;

/// <summary>Signing and verifying against a real distribution registry.</summary>
public sealed class SignAndVerifyTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly SignedRegistry _registry = new(fixture);
    private static readonly CancellationToken None = CancellationToken.None;

    public void Dispose() => _registry.Dispose();

    [Fact]
    public async Task A_signed_image_verifies_with_the_signing_key_in_cosigns_layout()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();

        var attached = await _registry.Signer.SignAsync(image, key, null, None);
        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, VerificationPolicy.SignatureOnly, None);

        Assert.True(result.Verified, result.Summary);
        Assert.Equal(SignedRegistry.SignatureTag(image, "sig"), attached.Location);
        var stored = (await _registry.Store.GetManifestAsync(attached.Location, None))!;
        var manifest = CosignManifest.Parse(stored);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(SimpleSigningPayload.MediaType, layer.MediaType);
        Assert.Equal(Encoding.UTF8.GetString(manifest.RenderManifest(manifest.RenderConfig())), Encoding.UTF8.GetString(stored));
        var payload = await _registry.Store.GetBlobAsync(image, layer.Digest, None);
        Assert.Equal(new SimpleSigningPayload(image.RepositoryUrl, image.Digest!).ToBytes(), payload);
    }

    [Fact]
    public async Task Two_signatures_by_two_keys_are_both_kept_and_each_verifies_with_its_key()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var first = SigningKey.Generate();
        using var second = SigningKey.Generate();

        await _registry.Signer.SignAsync(image, first, null, None);
        var attached = await _registry.Signer.SignAsync(image, second, null, None);
        var byFirst = await _registry.Verifier.VerifyAsync(image, first.PublicKey, VerificationPolicy.SignatureOnly, None);
        var bySecond = await _registry.Verifier.VerifyAsync(image, second.PublicKey, VerificationPolicy.SignatureOnly, None);

        Assert.Equal(2, attached.LayerCount);
        Assert.Equal([CheckOutcome.Verified, CheckOutcome.SignatureMismatch], byFirst.Signatures.Select(s => s.Outcome));
        Assert.Equal([CheckOutcome.SignatureMismatch, CheckOutcome.Verified], bySecond.Signatures.Select(s => s.Outcome));
        Assert.True(byFirst.Verified && bySecond.Verified);
    }

    [Fact]
    public async Task Re_signing_the_same_digest_with_the_same_key_adds_nothing()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        await _registry.Signer.SignAsync(image, key, null, None);
        var before = await _registry.Store.GetManifestAsync(SignedRegistry.SignatureTag(image, "sig"), None);

        var again = await _registry.Signer.SignAsync(image, key, null, None);

        Assert.False(again.Added);
        Assert.Equal(1, again.LayerCount);
        Assert.Equal(before, await _registry.Store.GetManifestAsync(SignedRegistry.SignatureTag(image, "sig"), None));
    }

    [Fact]
    public async Task An_image_without_signatures_fails_with_no_signatures()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();

        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, VerificationPolicy.SignatureOnly, None);

        Assert.False(result.Verified);
        Assert.Empty(result.Signatures);
        Assert.Contains("no signatures", Assert.Throws<PipelineException>(() => result.EnsureVerified()).Message);
    }

    [Fact]
    public async Task The_wrong_public_key_fails_with_signature_does_not_match_key()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        using var other = SigningKey.Generate();
        await _registry.Signer.SignAsync(image, key, null, None);

        var result = await _registry.Verifier.VerifyAsync(image, other.PublicKey, VerificationPolicy.SignatureOnly, None);

        Assert.False(result.Verified);
        Assert.Equal(CheckOutcome.SignatureMismatch, Assert.Single(result.Signatures).Outcome);
        Assert.Contains("signature does not match key", result.Summary);
    }

    [Fact]
    public async Task A_tampered_payload_fails_with_signature_does_not_match_key()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        await _registry.Signer.SignAsync(image, key, null, None);
        var tag = SignedRegistry.SignatureTag(image, "sig");
        var layer = Assert.Single((await _registry.ReadAsync(tag)).Layers);
        var tampered = new SimpleSigningPayload(image.RepositoryUrl, image.Digest!, new Dictionary<string, string> { ["approved"] = "yes" }).ToBytes();

        await _registry.WriteAsync(tag, new CosignManifest([layer with { Digest = Digest.Compute(tampered), Size = tampered.Length }]), tampered);
        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, VerificationPolicy.SignatureOnly, None);

        Assert.False(result.Verified);
        Assert.Equal("signature does not match key", Assert.Single(result.Signatures).Reason);
    }

    [Fact]
    public async Task A_signature_for_another_digest_fails_with_payload_is_for_another_digest()
    {
        var repository = _registry.NewRepository();
        var image = await _registry.PushImageAsync(repository);
        var other = await _registry.PushImageAsync(repository);
        using var key = SigningKey.Generate();
        await _registry.Signer.SignAsync(other, key, null, None);

        // Copy the other image's valid signature under this image's .sig tag.
        await _registry.WriteAsync(SignedRegistry.SignatureTag(image, "sig"), await _registry.ReadAsync(SignedRegistry.SignatureTag(other, "sig")));
        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, VerificationPolicy.SignatureOnly, None);

        Assert.False(result.Verified);
        var check = Assert.Single(result.Signatures);
        Assert.Equal(CheckOutcome.WrongDigest, check.Outcome);
        Assert.Contains("payload is for another digest", check.Reason);
    }

    [Fact]
    public async Task A_payload_with_another_type_fails_as_wrong_type()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        var payload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(new SimpleSigningPayload(image.RepositoryUrl, image.Digest!).ToBytes())
            .Replace(SimpleSigningPayload.SignatureType, "atomic container signature"));
        var layer = new CosignLayer(SimpleSigningPayload.MediaType, payload.Length, Digest.Compute(payload),
            new Dictionary<string, string> { [CosignLayer.SignatureAnnotation] = Convert.ToBase64String(key.Sign(payload)) });

        await _registry.WriteAsync(SignedRegistry.SignatureTag(image, "sig"), new CosignManifest([layer]), payload);
        var result = await _registry.Verifier.VerifyAsync(image, key.PublicKey, VerificationPolicy.SignatureOnly, None);

        Assert.Equal(CheckOutcome.WrongType, Assert.Single(result.Signatures).Outcome);
        Assert.False(result.Verified);
    }

    [Fact]
    public async Task Signature_annotations_are_signed_and_required_annotations_are_checked()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        using var key = SigningKey.Generate();
        await _registry.Signer.SignAsync(image, key, new Dictionary<string, string> { ["env"] = "prod" }, None);

        var matching = await _registry.Verifier.VerifyAsync(image, key.PublicKey, new VerificationPolicy(RequiredAnnotations: new Dictionary<string, string> { ["env"] = "prod" }), None);
        var other = await _registry.Verifier.VerifyAsync(image, key.PublicKey, new VerificationPolicy(RequiredAnnotations: new Dictionary<string, string> { ["env"] = "dev" }), None);

        Assert.True(matching.Verified, matching.Summary);
        Assert.False(other.Verified);
    }
}
