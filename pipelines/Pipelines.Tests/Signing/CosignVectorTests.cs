using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using Pipelines.Signing;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Signing;

/// <summary>Real cosign data from <c>shared/vectors/cosign</c> (see its README for what must verify against what).</summary>
public sealed class CosignVectorTests
{
    private static string Vector(params string[] parts) => TestPaths.SharedFile(["vectors", "cosign", .. parts]);

    [Theory]
    [InlineData("simplesigning-key", "cosign.pub")]
    [InlineData("simplesigning-key-rekor", "cosign2.pub")]
    public void Each_public_key_verifies_its_signature_over_its_payload(string folder, string publicKey)
    {
        var key = VerificationKey.Load(Vector(folder, publicKey));
        var payload = File.ReadAllBytes(Vector(folder, "payload.json"));
        var signature = Convert.FromBase64String(File.ReadAllText(Vector(folder, "signature.b64")).Trim());

        Assert.True(key.Verify(payload, signature));
    }

    [Theory]
    [InlineData("simplesigning-key")]
    [InlineData("simplesigning-key-rekor")]
    public void The_payload_names_the_digest_of_the_vector_manifest(string folder)
    {
        var manifestDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Vector(folder, "manifest.json"))));

        var (payload, type) = SimpleSigningPayload.Parse(File.ReadAllBytes(Vector(folder, "payload.json")));

        Assert.Equal(manifestDigest, payload.ManifestDigest);
        Assert.Equal(SimpleSigningPayload.SignatureType, type);
    }

    [Fact]
    public void A_flipped_payload_byte_or_signature_byte_fails_verification()
    {
        var key = VerificationKey.Load(Vector("simplesigning-key", "cosign.pub"));
        var payload = File.ReadAllBytes(Vector("simplesigning-key", "payload.json"));
        var signature = Convert.FromBase64String(File.ReadAllText(Vector("simplesigning-key", "signature.b64")).Trim());
        var tamperedPayload = (byte[])payload.Clone();
        tamperedPayload[40] ^= 1;
        var tamperedSignature = (byte[])signature.Clone();
        tamperedSignature[^3] ^= 1;

        Assert.False(key.Verify(tamperedPayload, signature));
        Assert.False(key.Verify(payload, tamperedSignature));
    }

    [Fact]
    public void The_other_vectors_key_does_not_verify_the_signature()
    {
        var other = VerificationKey.Load(Vector("simplesigning-key-rekor", "cosign2.pub"));
        var payload = File.ReadAllBytes(Vector("simplesigning-key", "payload.json"));
        var signature = Convert.FromBase64String(File.ReadAllText(Vector("simplesigning-key", "signature.b64")).Trim());

        Assert.False(other.Verify(payload, signature));
    }

    [Theory]
    [InlineData("simplesigning-key")]
    [InlineData("wire-trace-v1.13.1")]
    public void The_payload_we_write_is_byte_identical_to_cosigns(string folder)
    {
        var expected = File.ReadAllBytes(Vector(folder, "payload.json"));
        var (parsed, _) = SimpleSigningPayload.Parse(expected);

        var written = new SimpleSigningPayload(parsed.DockerReference, parsed.ManifestDigest).ToBytes();

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(written));
    }

    [Theory]
    [InlineData("cosign-keys_test_pemsigstorekey", "hello")]
    [InlineData("cosign-keys_test_pemcosignkey", "hello")]
    [InlineData("sigstore-rs_cosign_generated_encrypted_empty_private", "")]
    [InlineData("sigstore-rs_ecdsa_encrypted_private", "123")]
    public void Each_encrypted_key_decrypts_with_its_password_to_the_expected_public_key(string name, string password)
    {
        var expected = VerificationKey.Load(Vector("keys", name + ".expected.pub"));

        using var key = SigningKey.Load(Vector("keys", name + ".key"), password);

        Assert.True(key.PublicKey.SameKeyAs(expected));
        Assert.Equal(File.ReadAllText(Vector("keys", name + ".expected.pub")).Trim(), key.PublicKey.ToPem().Trim());
    }

    [Fact]
    public void A_vector_key_signs_a_payload_that_its_expected_public_key_verifies()
    {
        using var key = SigningKey.Load(Vector("keys", "cosign-keys_test_pemsigstorekey.key"), "hello");
        var expected = VerificationKey.Load(Vector("keys", "cosign-keys_test_pemsigstorekey.expected.pub"));
        var payload = new SimpleSigningPayload("127.0.0.1:5000/app", "sha256:" + new string('a', 64)).ToBytes();

        var signature = key.Sign(payload);

        Assert.Equal(0x30, signature[0]); // ASN.1 DER SEQUENCE, not P1363 r||s
        Assert.True(expected.Verify(payload, signature));
    }

    [Fact]
    public void The_key_that_decrypts_to_SEC1_instead_of_PKCS8_is_rejected_with_a_clear_message()
    {
        var error = Assert.Throws<PipelineException>(() => SigningKey.Load(Vector("keys", "cosign-keys_test_pemcosigneckey.key"), "hello"));

        Assert.Contains("SEC1", error.Message);
        Assert.Contains("not PKCS#8", error.Message);
    }

    [Fact]
    public void A_wrong_password_fails_at_decryption_with_a_message_naming_the_password()
    {
        var error = Assert.Throws<PipelineException>(() => SigningKey.Load(Vector("keys", "cosign-keys_test_pemsigstorekey.key"), "not-hello"));

        Assert.Contains("wrong password", error.Message);
    }

    [Fact]
    public void The_attestation_vector_verifies_over_its_PAE_with_the_certificate_key()
    {
        using var bundle = JsonDocument.Parse(File.ReadAllBytes(Vector("attestation-dsse", "oci-attestation.sigstore.json")));
        var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(
            bundle.RootElement.GetProperty("verificationMaterial").GetProperty("certificate").GetProperty("rawBytes").GetString()!));
        var key = VerificationKey.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo(), "certificate");
        var envelope = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(bundle.RootElement.GetProperty("dsseEnvelope").GetRawText()));

        var statement = InTotoStatement.Parse(envelope.Payload);

        Assert.True(envelope.VerifiedBy(key));
        Assert.Equal(DsseEnvelope.InTotoPayloadType, envelope.PayloadType);
        Assert.Equal(File.ReadAllBytes(Vector("attestation-dsse", "statement.json")), envelope.Payload);
        Assert.Equal("https://cosign.sigstore.dev/attestation/v1", statement.PredicateType);
        Assert.Equal("732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4", statement.Subjects[0].Sha256);
    }

    [Fact]
    public void A_tampered_attestation_envelope_does_not_verify()
    {
        using var bundle = JsonDocument.Parse(File.ReadAllBytes(Vector("attestation-dsse", "oci-attestation.sigstore.json")));
        var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(
            bundle.RootElement.GetProperty("verificationMaterial").GetProperty("certificate").GetProperty("rawBytes").GetString()!));
        var key = VerificationKey.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo(), "certificate");
        var envelope = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(bundle.RootElement.GetProperty("dsseEnvelope").GetRawText()));
        var tampered = envelope with { Payload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(envelope.Payload).Replace("732112", "832112")) };

        Assert.False(tampered.VerifiedBy(key));
    }
}
