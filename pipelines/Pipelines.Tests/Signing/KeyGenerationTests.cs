using Pipelines.Signing;
using Pipelines.Tests.Support;
using Pipelines.Logging;

namespace Pipelines.Tests.Signing;

public sealed class KeyGenerationTests
{
    [Fact]
    public void A_generated_key_round_trips_through_the_encrypted_format()
    {
        using var generated = SigningKey.Generate();
        var pem = generated.ToEncryptedPem("s3cret");

        using var loaded = SigningKey.Load(pem, "s3cret", "SIGNING_KEY");

        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", pem);
        Assert.Contains("\"N\":65536,\"r\":8,\"p\":1", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
            string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----"))))));
        Assert.True(loaded.PublicKey.SameKeyAs(generated.PublicKey));
        var data = "payload"u8.ToArray();
        Assert.True(generated.PublicKey.Verify(data, loaded.Sign(data)));
    }

    [Fact]
    public void A_generated_key_with_the_wrong_password_fails_clearly()
    {
        using var generated = SigningKey.Generate();
        var pem = generated.ToEncryptedPem("right", scryptN: 32768);

        var error = Assert.Throws<PipelineException>(() => SigningKey.Load(pem, "wrong", "SIGNING_KEY"));

        Assert.Contains("wrong password", error.Message);
        Assert.Contains("SIGNING_KEY", error.Message);
        Assert.DoesNotContain("BEGIN", error.Message);
    }

    [Fact]
    public async Task The_key_pair_writer_writes_cosign_key_and_pub_and_refuses_to_overwrite()
    {
        using var directory = new TempDirectory();
        var writer = new CosignKeyPairWriter(new Pipelines.Logging.MemoryLog());

        var pair = await writer.WriteAsync(directory.Path, "pw", CancellationToken.None);

        using var loaded = SigningKey.Load(pair.PrivateKeyPath, "pw");
        Assert.True(loaded.PublicKey.SameKeyAs(VerificationKey.Load(pair.PublicKeyPath)));
        var again = await Assert.ThrowsAsync<PipelineException>(() => writer.WriteAsync(directory.Path, "pw", CancellationToken.None));
        Assert.Contains("already exists", again.Message);
    }

    [Fact]
    public void Plain_PKCS8_and_SEC1_PEM_keys_load()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        using var pkcs8 = SigningKey.Load(ecdsa.ExportPkcs8PrivateKeyPem(), "");
        using var sec1 = SigningKey.Load(ecdsa.ExportECPrivateKeyPem(), "");

        Assert.True(pkcs8.PublicKey.SameKeyAs(sec1.PublicKey));
    }

    [Fact]
    public void A_P384_key_is_rejected_naming_the_curve()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<PipelineException>(() => SigningKey.Load(ecdsa.ExportPkcs8PrivateKeyPem(), ""));

        Assert.Contains("P-256", error.Message);
    }

    [Fact]
    public void An_RSA_key_is_rejected_as_not_ECDSA()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);

        var error = Assert.Throws<PipelineException>(() => SigningKey.Load(rsa.ExportPkcs8PrivateKeyPem(), ""));

        Assert.Contains("RSA", error.Message);
    }

    [Theory]
    [InlineData("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n@@@@\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", "corrupt PEM")]
    [InlineData("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", "not a valid cosign encrypted key")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n", "corrupt PEM")]
    [InlineData("/nonexistent/cosign.key", "neither PEM text nor an existing file")]
    public void A_broken_key_is_rejected_naming_the_problem(string input, string expected)
    {
        var error = Assert.Throws<PipelineException>(() => SigningKey.Load(input, "pw"));

        Assert.Contains(expected, error.Message);
    }
}
