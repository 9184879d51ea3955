using System.Security.Cryptography;
using Pipelines.Workspace;

namespace Pipelines.Signing;

/// <summary>
/// An ECDSA public key that checks cosign signatures (SHA-256, ASN.1 DER), read from a
/// <c>PUBLIC KEY</c> PEM (SubjectPublicKeyInfo) such as <c>cosign.pub</c>.
/// </summary>
internal sealed class VerificationKey
{
    private readonly byte[] _spki;

    private VerificationKey(byte[] spki, string source)
    {
        _spki = spki;
        Source = source;
        Fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    /// <summary>Where the key came from, for messages.</summary>
    public string Source { get; }

    /// <summary><c>sha256:</c> of the SubjectPublicKeyInfo DER: identifies the key in results.</summary>
    public string Fingerprint { get; }

    /// <summary>The key as PEM, as cosign writes <c>cosign.pub</c>.</summary>
    public string ToPem() => Pem.Write("PUBLIC KEY", _spki);

    /// <summary>Loads a public key from PEM text or from a file holding it.</summary>
    /// <exception cref="PipelineException">Missing, malformed, or not an EC key.</exception>
    public static VerificationKey Load(string keyOrPath, string source = "--public-key")
    {
        string text;
        if (keyOrPath.Contains("-----BEGIN", StringComparison.Ordinal)) text = keyOrPath;
        else if (File.Exists(keyOrPath)) { text = File.ReadAllText(keyOrPath); source = $"{source} ({keyOrPath})"; }
        else throw new PipelineException($"The public key {source} is neither PEM text nor an existing file ('{keyOrPath}'). Pass the path of cosign.pub or its PEM content.");

        (string Label, byte[] Body)? block;
        try { block = Pem.Read(text); }
        catch (FormatException e) { throw new PipelineException($"The public key {source} is corrupt PEM: {e.Message}."); }
        if (block is not { Label: "PUBLIC KEY" } pem)
            throw new PipelineException($"The public key {source} holds no 'PUBLIC KEY' PEM block. Pass cosign.pub (SubjectPublicKeyInfo PEM).");
        return FromSubjectPublicKeyInfo(pem.Body, source);
    }

    /// <summary>Reads SubjectPublicKeyInfo DER.</summary>
    public static VerificationKey FromSubjectPublicKeyInfo(byte[] spki, string source)
    {
        using var key = ECDsa.Create();
        try { key.ImportSubjectPublicKeyInfo(spki, out _); }
        catch (CryptographicException)
        {
            throw new PipelineException($"The public key {source} is not an ECDSA public key; cosign key pairs are ECDSA P-256.");
        }
        // Re-export so that two encodings of one key compare equal.
        return new VerificationKey(key.ExportSubjectPublicKeyInfo(), source);
    }

    /// <summary>True when <paramref name="signature"/> (ASN.1 DER) is a valid ECDSA/SHA-256 signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_spki, out _);
        try { return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence); }
        catch (CryptographicException) { return false; }
    }

    /// <summary>Same key material.</summary>
    public bool SameKeyAs(VerificationKey other) => _spki.AsSpan().SequenceEqual(other._spki);
}
