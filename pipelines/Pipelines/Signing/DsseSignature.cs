namespace Pipelines.Signing;

/// <summary>One DSSE signature.</summary>
/// <param name="KeyId">Optional key hint; cosign leaves it empty.</param>
/// <param name="Signature">The raw signature bytes.</param>
internal sealed record DsseSignature(string? KeyId, byte[] Signature);
