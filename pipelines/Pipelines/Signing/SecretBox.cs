using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Pipelines.Signing;

/// <summary>
/// NaCl <c>secretbox</c> (XSalsa20-Poly1305) as Go's <c>golang.org/x/crypto/nacl/secretbox</c> does it:
/// the first 32 bytes of the XSalsa20 key stream are the one-time Poly1305 key, the message is
/// encrypted with the stream from byte 32 on, and the sealed box is the 16-byte tag then the ciphertext.
/// </summary>
internal static class SecretBox
{
    public const int KeySize = 32;
    public const int NonceSize = 24;
    public const int TagSize = 16;

    public static byte[] Seal(byte[] message, byte[] nonce, byte[] key)
    {
        var (stream, polyKey) = Start(nonce, key);
        var sealedBox = new byte[TagSize + message.Length];
        stream.ProcessBytes(message, 0, message.Length, sealedBox, TagSize);
        var tag = Tag(polyKey, sealedBox.AsSpan(TagSize).ToArray());
        tag.CopyTo(sealedBox, 0);
        return sealedBox;
    }

    /// <summary>Opens a box; <c>null</c> when the tag does not match (wrong key, or tampered box).</summary>
    public static byte[]? Open(byte[] sealedBox, byte[] nonce, byte[] key)
    {
        if (sealedBox.Length < TagSize) return null;
        var (stream, polyKey) = Start(nonce, key);
        var ciphertext = sealedBox.AsSpan(TagSize).ToArray();
        var expected = Tag(polyKey, ciphertext);
        if (!CryptographicOperations.FixedTimeEquals(expected, sealedBox.AsSpan(0, TagSize))) return null;
        var message = new byte[ciphertext.Length];
        stream.ProcessBytes(ciphertext, 0, ciphertext.Length, message, 0);
        return message;
    }

    private static (XSalsa20Engine Stream, byte[] PolyKey) Start(byte[] nonce, byte[] key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"secretbox keys are {KeySize} bytes", nameof(key));
        if (nonce.Length != NonceSize) throw new ArgumentException($"secretbox nonces are {NonceSize} bytes", nameof(nonce));
        var stream = new XSalsa20Engine();
        stream.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        var polyKey = new byte[32];
        stream.ProcessBytes(new byte[32], 0, 32, polyKey, 0);
        return (stream, polyKey);
    }

    private static byte[] Tag(byte[] polyKey, byte[] ciphertext)
    {
        // Poly1305 without a cipher: the 32-byte key is r || s, and r is clamped by SetKey.
        var mac = new Poly1305();
        mac.Init(new KeyParameter(polyKey));
        mac.BlockUpdate(ciphertext, 0, ciphertext.Length);
        var tag = new byte[TagSize];
        mac.DoFinal(tag, 0);
        return tag;
    }
}
