using System.Security.Cryptography;

namespace Shortlink.Links;

/// <summary>Random codes of <see cref="Length"/> characters from [0-9A-Za-z].</summary>
/// <remarks>62^7 ≈ 3.5e12 codes: collisions are rare, and <see cref="LinkShortener"/> retries when one happens.
/// A cryptographic source keeps codes unguessable from earlier ones.</remarks>
public sealed class Base62CodeGenerator : ICodeGenerator
{
    /// <summary>Characters per code.</summary>
    public const int Length = 7;

    /// <summary>The characters a code is made of.</summary>
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <inheritdoc />
    public string Next() => RandomNumberGenerator.GetString(Alphabet, Length);
}
