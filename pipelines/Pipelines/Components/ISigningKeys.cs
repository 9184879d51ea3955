using Pipelines.Workspace;
using Pipelines.Containers;
using Pipelines.Hosts;
using Pipelines.Scanning;
using Pipelines.Signing;
using Pipelines.Targets;
using Pipelines.Oci;
using Pipelines.Logging;

namespace Pipelines.Components;

/// <summary>The keys images are signed with and verified against: shared by Scan (a failing verdict is signed), Sign, Verify and Deploy.</summary>
public interface ISigningKeys : IRegistryAccess
{
    [Parameter("cosign private key for Sign: a file path or the PEM text (a CI secret); default: a development key in " + WorkspaceLayout.Relative.Keys)]
    [Secret, KeyOrPathSecret]
    string? SigningKey => ValueOf(() => SigningKey, null);

    [Parameter("Password of the signing key; COSIGN_PASSWORD is read too, as cosign does", EnvironmentAlias = "COSIGN_PASSWORD")]
    [Secret]
    string? SigningKeyPassword => ValueOf(() => SigningKeyPassword, null);

    [Parameter("Public key Verify checks signatures with (cosign.pub path or PEM); default: " + WorkspaceLayout.Relative.Keys + "/" + CosignKeyPairWriter.PublicKeyFile)]
    string? PublicKey => ValueOf(() => PublicKey, null);

    [Parameter("Attestations Verify requires, by cosign --type name or URI: slsaprovenance1,cyclonedx")]
    string[] RequireAttestations => ValueOf(() => RequireAttestations, []);

    [Parameter("Sign keyless through the cosign binary (GitHub Actions with id-token: write only)")]
    bool Keyless => ValueOf(() => Keyless, false);

    /// <summary>The signing key's password, masked in every log from here on.</summary>
    internal string SigningPassword()
    {
        // COSIGN_PASSWORD, cosign's own variable, binds this parameter, so an existing cosign setup works unchanged.
        var password = SigningKeyPassword ?? "";
        Host.AddSecret(password);
        return password;
    }

    /// <summary>The key Verify and Deploy check with (TrustedPublicKey says where it may come from).</summary>
    internal VerificationKey TrustedKey(PipelineState state) =>
        TrustedPublicKey.Resolve(PublicKey, Host.IsDeveloperMachine, state.GetRecord<SignedImage>(SignInputs.StateKey),
            Path.Combine(Layout.KeysDirectory, CosignKeyPairWriter.PublicKeyFile));

    /// <summary>A given key must load with its password; in CI one must be given (no development key there).</summary>
    internal Task SigningConfigurationAsync(CancellationToken cancellationToken)
    {
        if (Keyless) return Task.CompletedTask;
        if (SigningKey is { Length: > 0 }) Signing.SigningKey.Load(SigningKey, SigningPassword()).Dispose();
        else if (!Host.IsDeveloperMachine)
            throw new PipelineException("No signing key: pass --signing-key (PIPELINE_SIGNING_KEY in CI: a cosign.key file or its PEM) and --signing-key-password. " +
                                        "A development key is generated only on a laptop, never in CI.");
        return Task.CompletedTask;
    }

    /// <summary>Signs a failing scan of a pushed image as an attestation, with the key Sign would use, when one is at hand.</summary>
    internal async Task AttestFailedScanAsync(ScanVerdict verdict, TargetContext ctx)
    {
        if (Keyless || (SigningKey is not { Length: > 0 } && !Host.IsDeveloperMachine))
        {
            ctx.Log.Warn($"The failing scan of {verdict.ImageDigest} is not attached as a signed attestation: no --signing-key. Another machine's Deploy sees only the attestations Sign attached.");
            return;
        }
        try
        {
            var image = ImageReference.Parse(verdict.Image).WithoutTagOrDigest().WithDigest(verdict.ImageDigest);
            using var registry = CreateRegistryClient();
            var request = new SignRequest(image, SigningKey, SigningPassword(), Layout.KeysDirectory) { AllowDevelopmentKey = Host.IsDeveloperMachine };
            var location = await new ReleaseSigner(new CosignSigner(new RegistrySignatureStore(registry), ctx.Log), ctx.Log)
                .AttestScanAsync(request, ScanAttestation.ToPredicate(verdict), ctx.CancellationToken);
            ctx.Note("Failing scan attested", location);
        }
        catch (PipelineException e)
        {
            ctx.Log.Warn($"The failing scan of {verdict.ImageDigest} could not be attached as a signed attestation: {e.Message}");
        }
    }
}
