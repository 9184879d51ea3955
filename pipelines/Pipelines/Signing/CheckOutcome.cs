namespace Pipelines.Signing;

/// <summary>Why one signature or attestation layer passed or failed.</summary>
internal enum CheckOutcome
{
    /// <summary>Signature valid, claims match the image.</summary>
    Verified,
    /// <summary>The signature does not verify with the public key (wrong key or tampered payload).</summary>
    SignatureMismatch,
    /// <summary>The signed payload names another image digest.</summary>
    WrongDigest,
    /// <summary>The payload's <c>type</c> (or DSSE <c>payloadType</c>) is not the expected one.</summary>
    WrongType,
    /// <summary>A signed annotation the policy requires is missing or different.</summary>
    AnnotationMismatch,
    /// <summary>The layer, its blob or its payload is malformed.</summary>
    Malformed,
}
