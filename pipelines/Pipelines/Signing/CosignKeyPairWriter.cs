using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Signing;

/// <summary>
/// Writes a new key pair as <c>cosign generate-key-pair</c> does: <c>cosign.key</c> in the encrypted
/// format (scrypt N=65536, NaCl secretbox) and <c>cosign.pub</c>. Existing files are never overwritten.
/// </summary>
internal sealed class CosignKeyPairWriter(ILog log)
{
    /// <summary>The private key file name cosign uses.</summary>
    public const string PrivateKeyFile = "cosign.key";

    /// <summary>The public key file name cosign uses.</summary>
    public const string PublicKeyFile = "cosign.pub";

    /// <summary>Generates a key and writes both files into <paramref name="directory"/>.</summary>
    /// <exception cref="PipelineException">Either file already exists.</exception>
    public async Task<KeyPairFiles> WriteAsync(string directory, string password, CancellationToken cancellationToken)
    {
        var privatePath = Path.Combine(directory, PrivateKeyFile);
        var publicPath = Path.Combine(directory, PublicKeyFile);
        foreach (var path in new[] { privatePath, publicPath })
            if (File.Exists(path))
                throw new PipelineException($"{path} already exists; delete it to make a new key pair, or pass another --output-dir.");

        using var key = SigningKey.Generate();
        // Encrypt before touching the disk, so that a failure leaves no half-written pair.
        var encrypted = key.ToEncryptedPem(password);
        Directory.CreateDirectory(directory);
        await WritePrivateAsync(privatePath, encrypted, cancellationToken);
        await File.WriteAllTextAsync(publicPath, key.PublicKey.ToPem(), cancellationToken);
        if (password.Length == 0)
            log.Warn($"{privatePath} is encrypted with an empty password; set --signing-key-password (PIPELINE_SIGNING_KEY_PASSWORD) for a key you keep.");
        log.Info($"Wrote {privatePath} and {publicPath} (key {key.PublicKey.Fingerprint}).");
        return new KeyPairFiles(privatePath, publicPath, key.PublicKey.Fingerprint);
    }

    private static async Task WritePrivateAsync(string path, string content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content.AsMemory(), cancellationToken);
    }
}
