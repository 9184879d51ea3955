using Pipelines.GitOps;
using Pipelines.Oci;
using Pipelines.Scanning;
using Pipelines.Signing;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Signing;

namespace Pipelines.Tests.GitOps;

/// <summary>The policy before any commit, against signatures in a real registry.</summary>
public sealed class DeployGateTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly SignedRegistry _registry = new(fixture);
    private readonly SigningKey _key = SigningKey.Generate();

    public void Dispose()
    {
        _registry.Dispose();
        _key.Dispose();
    }

    private DeployGate Gate(VerificationKey? key = null) =>
        new(_registry.Verifier, key ?? _key.PublicKey, VerificationPolicy.SignatureOnly);

    private static ScanVerdict Scan(ImageReference image, bool passed, string? digest = null) =>
        new(digest ?? image.Digest!, image.ToString(), passed, SeverityCounts.Zero, "0.74.0", DateTimeOffset.UtcNow);

    private async Task<ImageReference> SignedImageAsync()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());
        await _registry.Signer.SignAsync(image, _key, null, None);
        return image;
    }

    [Fact]
    public async Task A_signed_image_with_a_passing_scan_of_its_digest_is_cleared()
    {
        var image = await SignedImageAsync();

        var clearance = await Gate().CheckAsync(image.WithTag("1.2.0"), Scan(image, passed: true), requireScan: true, None);

        Assert.Contains("verified", clearance.Signature);
        Assert.StartsWith("passed", clearance.Scan);
    }

    [Fact]
    public async Task An_unsigned_image_is_refused_and_the_message_says_how_to_sign_it()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());

        var error = await Assert.ThrowsAsync<PipelineException>(() => Gate().CheckAsync(image, Scan(image, passed: true), true, None));

        Assert.Contains("Deploy refused", error.Message);
        Assert.Contains("has no signatures", error.Message);
        Assert.Contains("Sign target", error.Message);
    }

    [Fact]
    public async Task An_image_signed_by_another_key_is_refused()
    {
        var image = await SignedImageAsync();
        using var other = SigningKey.Generate();

        var error = await Assert.ThrowsAsync<PipelineException>(() => Gate(other.PublicKey).CheckAsync(image, Scan(image, passed: true), true, None));

        Assert.Contains("none verifies with key", error.Message);
    }

    [Fact]
    public async Task An_unscanned_digest_is_refused_unless_the_scan_requirement_is_turned_off()
    {
        var image = await SignedImageAsync();

        var error = await Assert.ThrowsAsync<PipelineException>(() => Gate().CheckAsync(image, null, true, None));
        var cleared = await Gate().CheckAsync(image, null, requireScan: false, None);

        Assert.Contains($"no scan of {image.Digest} is recorded", error.Message);
        Assert.Contains("--require-scan false", cleared.Scan);
    }

    [Fact]
    public async Task A_scan_of_another_digest_or_a_failed_scan_does_not_count()
    {
        var image = await SignedImageAsync();

        var other = await Assert.ThrowsAsync<PipelineException>(() =>
            Gate().CheckAsync(image, Scan(image, true, "sha256:" + new string('b', 64)), true, None));
        var failed = await Assert.ThrowsAsync<PipelineException>(() => Gate().CheckAsync(image, Scan(image, passed: false), true, None));

        Assert.Contains("not " + image.Digest, other.Message);
        Assert.Contains("did not pass", failed.Message);
    }

    [Fact]
    public async Task Every_missing_piece_is_named_in_one_message()
    {
        var image = await _registry.PushImageAsync(_registry.NewRepository());

        var error = await Assert.ThrowsAsync<PipelineException>(() => Gate().CheckAsync(image, null, true, None));

        Assert.Contains("has no signatures", error.Message);
        Assert.Contains("no scan of", error.Message);
    }

    [Fact]
    public async Task A_passing_scan_attested_with_the_same_key_stands_in_for_the_state_record()
    {
        var image = await SignedImageAsync();
        await _registry.Signer.AttestAsync(image, _key, PredicateTypes.Vulnerability, ScanAttestation.ToPredicate(Scan(image, passed: true)), None);

        var clearance = await Gate().CheckAsync(image, null, requireScan: true, None);

        Assert.Contains("signed scan attestation", clearance.Scan);
    }

    [Fact]
    public async Task A_scan_attestation_by_another_key_or_of_a_failed_scan_does_not_count()
    {
        var byOther = await SignedImageAsync();
        using var other = SigningKey.Generate();
        await _registry.Signer.AttestAsync(byOther, other, PredicateTypes.Vulnerability, ScanAttestation.ToPredicate(Scan(byOther, passed: true)), None);
        var failed = await SignedImageAsync();
        await _registry.Signer.AttestAsync(failed, _key, PredicateTypes.Vulnerability, ScanAttestation.ToPredicate(Scan(failed, passed: false)), None);

        var first = await Assert.ThrowsAsync<PipelineException>(() => Gate().CheckAsync(byOther, null, true, None));
        var second = await Assert.ThrowsAsync<PipelineException>(() => Gate().CheckAsync(failed, null, true, None));

        Assert.Contains("no scan of", first.Message);
        Assert.Contains("did not pass", second.Message);
    }

    [Fact]
    public async Task A_fresh_failed_scan_in_the_state_beats_an_old_signed_pass()
    {
        var image = await SignedImageAsync();
        await _registry.Signer.AttestAsync(image, _key, PredicateTypes.Vulnerability, ScanAttestation.ToPredicate(Scan(image, passed: true)), None);

        var error = await Assert.ThrowsAsync<PipelineException>(() => Gate().CheckAsync(image, Scan(image, passed: false), true, None));

        Assert.Contains("did not pass", error.Message);
    }

    [Fact]
    public async Task A_signed_scan_older_than_the_limit_asks_for_a_new_scan()
    {
        var image = await SignedImageAsync();
        var old = Scan(image, passed: true) with { ScannedAt = DateTimeOffset.UtcNow.AddDays(-30) };
        await _registry.Signer.AttestAsync(image, _key, PredicateTypes.Vulnerability, ScanAttestation.ToPredicate(old), None);

        var error = await Assert.ThrowsAsync<PipelineException>(() => Gate().CheckAsync(image, null, true, None));

        Assert.Contains("scan it again", error.Message);
    }
}
