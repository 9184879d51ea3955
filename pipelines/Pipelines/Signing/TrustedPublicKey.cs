namespace Pipelines.Signing;

/// <summary>
/// The key Verify and Deploy check signatures with, and where it came from: the given one; on a developer machine
/// only, the key the last Sign recorded, else the development key. In CI a key must be named, never taken from a state file.
/// </summary>
internal static class TrustedPublicKey
{
    /// <summary>Loads the key to trust; one clear message when there is none to take.</summary>
    public static VerificationKey Resolve(string? given, bool developerMachine, SignedImage? lastSigned, string developmentKeyPath)
    {
        if (given is { Length: > 0 }) return VerificationKey.Load(given, "--public-key");
        if (!developerMachine) throw Required();
        if (lastSigned?.PublicKeyPath is { Length: > 0 } signed && File.Exists(signed))
            return VerificationKey.Load(signed, "the last Sign's key, recorded in the state");
        return File.Exists(developmentKeyPath)
            ? VerificationKey.Load(developmentKeyPath, "the development key")
            : throw new PipelineException($"No --public-key given and no development key at {developmentKeyPath}: pass --public-key (the cosign.pub to trust), or run Sign (or GenerateKey) first.");
    }

    /// <summary>The message for a machine that is not a developer's and has no key named.</summary>
    public static PipelineException Required() =>
        new("Pass --public-key (PIPELINE_PUBLIC_KEY: the cosign.pub the cluster's policy trusts): in CI, images are verified against a named key only.");
}
