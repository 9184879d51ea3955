using System.Text;
using System.Text.Json;

namespace Pipelines.Signing;

/// <summary>
/// A DSSE envelope (Dead Simple Signing Envelope): a typed payload and signatures over its
/// pre-authentication encoding (PAE). Cosign stores attestations as these.
/// </summary>
/// <param name="PayloadType">What the payload is; <c>application/vnd.in-toto+json</c> for attestations.</param>
/// <param name="Payload">The payload bytes (an in-toto statement).</param>
/// <param name="Signatures">DSSE signatures (ASN.1 DER for ECDSA).</param>
internal sealed record DsseEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<DsseSignature> Signatures)
{
    /// <summary>The payload type of in-toto statements.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>The layer media type of an attestation in a <c>.att</c> manifest.</summary>
    public const string MediaType = "application/vnd.dsse.envelope.v1+json";

    /// <summary><c>"DSSEv1" SP len(type) SP type SP len(body) SP body</c>, lengths in decimal bytes.</summary>
    public static byte[] Pae(string payloadType, byte[] payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.UTF8.GetBytes($"DSSEv1 {type.Length} {payloadType} {payload.Length} ");
        return [.. header, .. payload];
    }

    /// <summary>Signs a payload's PAE with a key.</summary>
    public static DsseEnvelope Sign(string payloadType, byte[] payload, SigningKey key) =>
        new(payloadType, payload, [new DsseSignature(null, key.Sign(Pae(payloadType, payload)))]);

    /// <summary>True when any signature verifies with the key.</summary>
    public bool VerifiedBy(VerificationKey key)
    {
        var pae = Pae(PayloadType, Payload);
        return Signatures.Any(s => key.Verify(pae, s.Signature));
    }

    /// <summary>The envelope JSON as cosign v3 writes it (protobuf field order, empty <c>keyid</c> omitted).</summary>
    public byte[] ToBytes()
    {
        var signatures = string.Join(",", Signatures.Select(s =>
            "{" + (string.IsNullOrEmpty(s.KeyId) ? "" : "\"keyid\":" + GoJson.Quote(s.KeyId) + ",") +
            "\"sig\":\"" + Convert.ToBase64String(s.Signature) + "\"}"));
        return Encoding.UTF8.GetBytes(
            "{\"payload\":\"" + Convert.ToBase64String(Payload) + "\",\"payloadType\":" + GoJson.Quote(PayloadType) +
            ",\"signatures\":[" + signatures + "]}");
    }

    /// <summary>Reads an envelope by field names (older cosign wrote another order and <c>"keyid":""</c>).</summary>
    /// <exception cref="FormatException">Not a DSSE envelope.</exception>
    public static DsseEnvelope Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var payloadType = root.GetProperty("payloadType").GetString() ?? "";
            var payload = Convert.FromBase64String(root.GetProperty("payload").GetString() ?? "");
            var signatures = root.GetProperty("signatures").EnumerateArray()
                .Select(s => new DsseSignature(
                    s.TryGetProperty("keyid", out var k) ? k.GetString() : null,
                    Convert.FromBase64String(s.GetProperty("sig").GetString() ?? "")))
                .ToList();
            return new DsseEnvelope(payloadType, payload, signatures);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"not a DSSE envelope: {e.Message}", e);
        }
    }
}
