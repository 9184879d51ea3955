using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Generators;

namespace Pipelines.Signing;

/// <summary>
/// cosign's encrypted private key file: a PEM block (<c>ENCRYPTED SIGSTORE PRIVATE KEY</c>, formerly
/// <c>ENCRYPTED COSIGN PRIVATE KEY</c>) whose body is JSON naming scrypt parameters, a salt, a NaCl
/// secretbox nonce, and the sealed PKCS#8 key (go-securesystemslib <c>encrypted</c> format).
/// </summary>
internal static class CosignKeyFile
{
    /// <summary>The label cosign writes since 2023.</summary>
    public const string SigstoreLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";

    /// <summary>The older label cosign still reads.</summary>
    public const string CosignLabel = "ENCRYPTED COSIGN PRIVATE KEY";

    /// <summary>Cosign's scrypt work factor for new keys (64 MiB of memory).</summary>
    public const int DefaultScryptN = 65536;

    private static readonly int[] AcceptedN = [32768, 65536, 131072];

    /// <summary>Encrypts PKCS#8 DER into the PEM text cosign writes (64-column lines).</summary>
    public static string Encrypt(byte[] pkcs8, string password, int scryptN = DefaultScryptN)
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(SecretBox.NonceSize);
        var key = SCrypt.Generate(Encoding.UTF8.GetBytes(password), salt, scryptN, 8, 1, SecretBox.KeySize);
        var sealedBox = SecretBox.Seal(pkcs8, nonce, key);
        // Field order and spelling as go-securesystemslib marshals its structs.
        var json = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":" + scryptN + ",\"r\":8,\"p\":1},\"salt\":\"" + Convert.ToBase64String(salt) + "\"}," +
                   "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" + Convert.ToBase64String(nonce) + "\"}," +
                   "\"ciphertext\":\"" + Convert.ToBase64String(sealedBox) + "\"}";
        return Pem.Write(SigstoreLabel, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Decrypts the body of an encrypted key PEM block to the plaintext (PKCS#8 DER for a valid cosign key).</summary>
    /// <param name="body">The PEM body bytes (the JSON).</param>
    /// <param name="password">The key password; empty is allowed.</param>
    /// <param name="source">Names the key in error messages.</param>
    public static byte[] Decrypt(byte[] body, string password, string source)
    {
        string kdfName, cipherName;
        int n, r, p;
        byte[] salt, nonce, ciphertext;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var kdf = root.GetProperty("kdf");
            kdfName = kdf.GetProperty("name").GetString() ?? "";
            var parameters = kdf.GetProperty("params");
            n = parameters.GetProperty("N").GetInt32();
            r = parameters.GetProperty("r").GetInt32();
            p = parameters.GetProperty("p").GetInt32();
            salt = Convert.FromBase64String(kdf.GetProperty("salt").GetString() ?? "");
            var cipher = root.GetProperty("cipher");
            cipherName = cipher.GetProperty("name").GetString() ?? "";
            nonce = Convert.FromBase64String(cipher.GetProperty("nonce").GetString() ?? "");
            ciphertext = Convert.FromBase64String(root.GetProperty("ciphertext").GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PipelineException($"The signing key {source} is not a valid cosign encrypted key: its body is not the expected JSON ({e.Message}). Regenerate it with the GenerateKey target or `cosign generate-key-pair`.");
        }

        if (kdfName != "scrypt" || cipherName != "nacl/secretbox")
            throw new PipelineException($"The signing key {source} uses kdf '{kdfName}' and cipher '{cipherName}'; only scrypt with nacl/secretbox (cosign's format) is supported.");
        if (!AcceptedN.Contains(n) || r != 8 || p != 1)
            throw new PipelineException($"The signing key {source} has scrypt parameters N={n} r={r} p={p}; cosign accepts only N=32768|65536|131072, r=8, p=1. Regenerate the key.");
        if (nonce.Length != SecretBox.NonceSize)
            throw new PipelineException($"The signing key {source} has a {nonce.Length}-byte nonce; nacl/secretbox needs {SecretBox.NonceSize}. The file is corrupt.");

        var key = SCrypt.Generate(Encoding.UTF8.GetBytes(password), salt, n, r, p, SecretBox.KeySize);
        return SecretBox.Open(ciphertext, nonce, key)
            ?? throw new PipelineException($"The signing key {source} could not be decrypted: wrong password (set --signing-key-password, PIPELINE_SIGNING_KEY_PASSWORD or COSIGN_PASSWORD to the password the key was created with).");
    }
}
