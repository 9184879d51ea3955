using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Pipelines.Oci;

/// <summary>
/// Content digests as the OCI distribution spec writes them: <c>sha256:</c> followed by 64 lowercase hex digits.
/// Only sha256 is accepted because it is the only algorithm registries and cosign use in practice.
/// </summary>
internal static partial class Digest
{
    /// <summary>The algorithm prefix, colon included.</summary>
    public const string Sha256Prefix = "sha256:";

    /// <summary>The <c>sha256:</c> digest of <paramref name="content"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> content) =>
        Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The <c>sha256:</c> digest of a stream read to its end.</summary>
    public static async Task<string> ComputeAsync(Stream content, CancellationToken cancellationToken = default) =>
        Sha256Prefix + Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));

    /// <summary>True when <paramref name="digest"/> is <c>sha256:</c> and 64 lowercase hex digits.</summary>
    public static bool IsValid(string? digest) => digest is not null && Sha256Pattern().IsMatch(digest);

    /// <summary>
    /// Returns <paramref name="digest"/> when valid, else throws a <see cref="PipelineException"/> naming
    /// <paramref name="what"/> (for example "--image" or "IMAGE_DIGEST") and the expected form.
    /// </summary>
    public static string Validate(string? digest, string what)
    {
        if (IsValid(digest)) return digest!;
        throw new PipelineException(
            $"{what} '{digest}' is not a valid digest: {Explain(digest)}. A digest is 'sha256:' followed by 64 lowercase hex digits.");
    }

    /// <summary>The 64 hex digits after <c>sha256:</c>.</summary>
    public static string Hex(string digest) => Validate(digest, "digest")[Sha256Prefix.Length..];

    /// <summary>True when the digest of <paramref name="content"/> equals <paramref name="digest"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> content, string digest) =>
        string.Equals(Compute(content), digest, StringComparison.Ordinal);

    /// <summary>What is wrong with a string that is not a valid digest, in a few words.</summary>
    internal static string Explain(string? digest)
    {
        if (string.IsNullOrEmpty(digest)) return "it is empty";
        var colon = digest.IndexOf(':');
        if (colon < 0) return "it has no algorithm prefix";
        var algorithm = digest[..colon];
        if (algorithm != "sha256") return $"the algorithm '{algorithm}' is not supported (only sha256)";
        var hex = digest[(colon + 1)..];
        if (hex.Length != 64) return $"it has {hex.Length} hex digits instead of 64";
        return "it contains characters other than lowercase hex digits";
    }

    [GeneratedRegex("^sha256:[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();
}
