using System.Security.Cryptography;

namespace Pipelines.Signing;

/// <summary>
/// An ECDSA P-256 private key that signs like cosign: SHA-256 digest, ASN.1 DER signature.
/// Load one with <see cref="Load"/> (cosign's encrypted format, or plain PKCS#8 / SEC1 PEM) or make one with <see cref="Generate"/>.
/// </summary>
internal sealed class SigningKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly ECDsa _key;

    private SigningKey(ECDsa key, string source)
    {
        _key = key;
        Source = source;
        PublicKey = VerificationKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), source);
    }

    /// <summary>Where the key came from (a path, or the name of the variable that held it), for messages.</summary>
    public string Source { get; }

    /// <summary>The matching public key.</summary>
    public VerificationKey PublicKey { get; }

    /// <summary>Makes a new random P-256 key.</summary>
    public static SigningKey Generate(string source = "generated key") =>
        new(ECDsa.Create(ECCurve.NamedCurves.nistP256), source);

    /// <summary>
    /// Loads a private key from PEM text or from a file holding it.
    /// </summary>
    /// <param name="keyOrPath">PEM text (for example the content of a <c>SIGNING_KEY</c> secret) or a file path.</param>
    /// <param name="password">Password for cosign's encrypted format; empty is a valid password.</param>
    /// <param name="source">Names the input in messages (e.g. <c>--signing-key</c>); never the key text itself.</param>
    /// <exception cref="PipelineException">The key is missing, malformed, encrypted with another password, or not P-256.</exception>
    public static SigningKey Load(string keyOrPath, string password, string source = "--signing-key")
    {
        string text;
        if (Pem.IsPemText(keyOrPath)) text = keyOrPath;
        else if (File.Exists(keyOrPath)) { text = File.ReadAllText(keyOrPath); source = $"{source} ({keyOrPath})"; }
        // Only a path is named: anything else may be key material (a base64-encoded key, say), which is never shown.
        else if (KeyText.IsPlausiblePath(keyOrPath)) throw new PipelineException($"The signing key {source} is neither PEM text nor an existing file ('{keyOrPath}'). Pass the path of cosign.key or its PEM content, or run the GenerateKey target.");
        else throw new PipelineException($"The signing key {source} is neither PEM text nor a file path (its value is not shown: it may be key material). Pass the path of cosign.key or its PEM content (a base64-encoded key: decode it first, e.g. `base64 -d > cosign.key`), or run the GenerateKey target.");

        (string Label, byte[] Body)? block;
        try { block = Pem.Read(text); }
        catch (FormatException e) { throw new PipelineException($"The signing key {source} is corrupt PEM: {e.Message}. Export it again or run the GenerateKey target."); }
        if (block is not { } pem)
            throw new PipelineException($"The signing key {source} holds no PEM block (no '-----BEGIN' line). Pass cosign.key or a PEM private key.");

        return pem.Label switch
        {
            CosignKeyFile.SigstoreLabel or CosignKeyFile.CosignLabel =>
                FromPkcs8(CosignKeyFile.Decrypt(pem.Body, password, source), source, decrypted: true),
            "PRIVATE KEY" => FromPkcs8(pem.Body, source, decrypted: false),
            "EC PRIVATE KEY" => FromSec1(pem.Body, source),
            "ENCRYPTED PRIVATE KEY" => throw new PipelineException($"The signing key {source} is a PKCS#8 PBES2-encrypted key, which cosign does not read. Convert it with `openssl pkcs8 -topk8 -nocrypt` or import it with `cosign import-key-pair`."),
            _ => throw new PipelineException($"The signing key {source} is a '{pem.Label}' PEM block; expected '{CosignKeyFile.SigstoreLabel}', 'PRIVATE KEY' or 'EC PRIVATE KEY'."),
        };
    }

    private static SigningKey FromPkcs8(byte[] der, string source, bool decrypted)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(der, out _);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new PipelineException(Describe(der, source, decrypted));
        }
        return Checked(key, source);
    }

    private static SigningKey FromSec1(byte[] der, string source)
    {
        var key = ECDsa.Create();
        try { key.ImportECPrivateKey(der, out _); }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new PipelineException($"The signing key {source} is an 'EC PRIVATE KEY' block that does not parse ({e.Message}). Export the key again.");
        }
        return Checked(key, source);
    }

    /// <summary>Says what a PKCS#8 blob that ECDsa refused actually is, so the message names the problem.</summary>
    private static string Describe(byte[] der, string source, bool decrypted)
    {
        var what = decrypted ? "decrypts to" : "holds";
        using (var sec1 = ECDsa.Create())
        {
            try
            {
                sec1.ImportECPrivateKey(der, out _);
                return $"The signing key {source} {what} a SEC1 'EC PRIVATE KEY', not PKCS#8, so cosign would reject it too. Re-import it with `cosign import-key-pair` or regenerate it with the GenerateKey target.";
            }
            catch (CryptographicException) { }
        }
        using (var rsa = RSA.Create())
        {
            try
            {
                rsa.ImportPkcs8PrivateKey(der, out _);
                return $"The signing key {source} {what} an RSA key; only ECDSA P-256 keys are supported. Generate one with the GenerateKey target.";
            }
            catch (CryptographicException) { }
        }
        return $"The signing key {source} {what} data that is not a PKCS#8 ECDSA private key. Regenerate it with the GenerateKey target.";
    }

    private static SigningKey Checked(ECDsa key, string source)
    {
        var curve = key.ExportParameters(false).Curve;
        if (curve.Oid?.Value != P256Oid)
        {
            var name = curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "an unnamed curve";
            key.Dispose();
            throw new PipelineException($"The signing key {source} is on curve {name}; only ECDSA P-256 (prime256v1) is supported. Generate a P-256 key with the GenerateKey target.");
        }
        return new SigningKey(key, source);
    }

    /// <summary>Signs bytes: ECDSA over SHA-256, ASN.1 DER, as cosign does. ECDSA signatures are randomized.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>The key as PKCS#8 DER (what cosign encrypts).</summary>
    public byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    /// <summary>The key in cosign's encrypted file format (<c>cosign.key</c>).</summary>
    public string ToEncryptedPem(string password, int scryptN = CosignKeyFile.DefaultScryptN)
    {
        var pkcs8 = ExportPkcs8();
        try { return CosignKeyFile.Encrypt(pkcs8, password, scryptN); }
        finally { CryptographicOperations.ZeroMemory(pkcs8); }
    }

    /// <summary>Releases the private key.</summary>
    public void Dispose() => _key.Dispose();
}
