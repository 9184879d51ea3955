using System.Diagnostics;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Workspace;
using Pipelines;
using Pipelines.Hosts;
using Pipelines.Scanning;
using Pipelines.Signing;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("cosign private key for Sign: a file path or the PEM text (a CI secret); default: a development key in .gitops/keys")]
    [Secret]
    readonly string? SigningKey;

    [Parameter("Password of the signing key; COSIGN_PASSWORD is read too, as cosign does", EnvironmentAlias = "COSIGN_PASSWORD")]
    [Secret]
    readonly string? SigningKeyPassword;

    [Parameter("Public key Verify checks signatures with (cosign.pub path or PEM); default: .gitops/keys/cosign.pub")]
    readonly string? PublicKey;

    [Parameter("Attestations Verify requires, by cosign --type name or URI: slsaprovenance1,cyclonedx")]
    readonly string[] RequireAttestations = [];

    [Parameter("Annotations Sign puts in the signature payload (cosign sign -a): key=value")]
    readonly string[] SignAnnotations = [];

    [Parameter("Sign keyless through the cosign binary (GitHub Actions with id-token: write only)")]
    readonly bool Keyless;

    [Parameter("Where GenerateKey writes cosign.key and cosign.pub")]
    readonly string OutputDir = Path.Combine(".gitops", "keys");

    /// <summary>Writes a cosign key pair.</summary>
    public virtual Target GenerateKey => _ => _
        .Description("Writes a cosign key pair (cosign.key encrypted with --signing-key-password, cosign.pub) into --output-dir")
        .Executes(async ctx =>
        {
            var files = await new CosignKeyPairWriter(ctx.Log).WriteAsync(Path.Combine(RootDirectory, OutputDir), SigningPassword(), ctx.CancellationToken);
            ctx.Note("Public key", files.PublicKeyPath);
        });

    /// <summary>Signs every selected service's image and attaches its attestations.</summary>
    public virtual Target Sign => _ => _
        .DependsOn(Scan)
        .Requires(SigningConfigurationAsync)
        .Description("Signs each service's image by digest (cosign's .sig layout) and attaches SLSA provenance and the SBOM as attestations")
        .Produces("SIGNATURE_REF")
        .Inputs(async (inputs, cancellationToken) =>
        {
            if (Keyless)
            {
                inputs.NotCacheable("keyless signing through cosign");
                return;
            }
            foreach (var service in SelectedServices)
            {
                var request = SignRequestFor(service, ServiceImages.Select(State, service.Name, Image), State);
                if (await SignInputs.PublicKeyOfAsync(request, Log, cancellationToken) is { } key) SignInputs.Declare(inputs.For(service.Name), request, key);
                else inputs.NotCacheable("no signing key");
            }
        })
        .CachedWhile(async (run, cancellationToken) =>
        {
            using var registry = CreateRegistryClient();
            foreach (var service in SelectedServices)
            {
                var request = SignRequestFor(service, ServiceImages.Select(State, service.Name, Image), State);
                var reason = await SignInputs.PublicKeyOfAsync(request, Log, cancellationToken) is { } key
                    ? await SignInputs.StillSignedAsync(run, new SignatureVerifier(new RegistrySignatureStore(registry)), key, request.Annotations, cancellationToken, SignedStateKey(service))
                    : "no signing key";
                if (reason is not null) return MessageFor(service, reason);
            }
            return null;
        })
        .Executes(async ctx =>
        {
            var references = new List<string>();
            foreach (var service in SelectedServices)
            {
                var image = ServiceImages.Select(ctx.State, service.Name, Image);
                if (Keyless)
                {
                    await new KeylessSigner(ctx.Log, PipelineHost.CurrentEnvironment()).SignAsync(image, ctx.CancellationToken);
                    ctx.Note(NoteFor("Signed", service), $"{image} (keyless)");
                    continue;
                }

                using var registry = CreateRegistryClient();
                var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken);
                var request = SignRequestFor(service, image, ctx.State) with
                {
                    Provenance = new SlsaProvenance(SlsaProvenance.DefaultBuildType, Host.RunId, source, NonSecretParameterValues(),
                        Process.GetCurrentProcess().StartTime.ToUniversalTime(), DateTimeOffset.UtcNow, Host.Name),
                };
                var signed = await new ReleaseSigner(new CosignSigner(new RegistrySignatureStore(registry), ctx.Log), ctx.Log)
                    .SignAsync(request, ctx.CancellationToken);

                // Per service, and the last one under the plain key: Verify and Deploy read which key this run signed with.
                ctx.State.SetRecord(SignedStateKey(service), signed);
                ctx.State.SetRecord(SignInputs.StateKey, signed);
                references.Add(signed.SignatureReference);
                ctx.Note(NoteFor("Signed", service), $"{signed.Image} by {signed.KeyFingerprint}{(signed.Added ? "" : " (already signed)")}");
                ctx.Note(NoteFor("Attestations", service), signed.Attestations.Count == 0 ? "none" : string.Join(", ", signed.Attestations));
            }
            ctx.Publish("SIGNATURE_REF", string.Join(',', references));
        });

    /// <summary>The state record of what Sign signed for a service.</summary>
    static string SignedStateKey(Service service) => $"{SignInputs.StateKey}:{service.Name}";

    /// <summary>What Sign signs and attests for the image, provenance aside (it records the run itself).</summary>
    SignRequest SignRequestFor(Service service, ImageReference image, PipelineState state)
    {
        // The service's last finished scan wrote its folder: its SBOM is this image's only when that scan was of this digest.
        var scan = state.GetRecord<ScanVerdict>(ScanStateKey(service));
        return new SignRequest(image, SigningKey, SigningPassword(), Path.Combine(RootDirectory, ".gitops", "keys"))
        {
            Annotations = SignatureAnnotations.Parse(SignAnnotations),
            Sbom = scan is { TrivyVersion: not null } && scan.ImageDigest == image.Digest
                ? CycloneDxSbom.Load(Path.Combine(ScanDirectory(service), SbomFile))
                : null,
            // The latest finished verdict of this digest, passed or failed: a failure is signed too, so that no older pass outlives it.
            ScanResults = ScanVerdicts.For(state, image.Digest!) is { TrivyVersion: not null } verdict ? ScanAttestation.ToPredicate(verdict) : null,
            AllowDevelopmentKey = Host.IsDeveloperMachine,
        };
    }

    /// <summary>Checks every selected service's image against the public key.</summary>
    public virtual Target Verify => _ => _
        .Description("Checks each service's image signatures (and --require-attestations) against --public-key")
        .Executes(async ctx =>
        {
            var key = TrustedKey(ctx.State);
            ctx.Log.Info($"Public key: {key.Source}");
            using var registry = CreateRegistryClient();
            foreach (var service in SelectedServices)
            {
                var image = ServiceImages.Select(ctx.State, service.Name, Image);
                var result = await new SignatureVerifier(new RegistrySignatureStore(registry))
                    .VerifyAsync(image, key, VerificationPolicy.FromNames(RequireAttestations), ctx.CancellationToken);

                foreach (var check in result.Signatures)
                    ctx.Log.Info($"{service.Name}: signature #{check.Index} {check.LayerDigest}: {check.Reason}");
                foreach (var check in result.Attestations)
                    ctx.Log.Info($"{service.Name}: attestation #{check.Index} {check.PredicateType}: {check.Reason}");
                result.EnsureVerified();
                ctx.Note(NoteFor("Verified", service), result.Summary);
            }
            ctx.Note("Public key", key.Source);
        });

    /// <summary>The key Verify and Deploy check with (TrustedPublicKey says where it may come from).</summary>
    VerificationKey TrustedKey(PipelineState state) =>
        TrustedPublicKey.Resolve(PublicKey, Host.IsDeveloperMachine, state.GetRecord<SignedImage>(SignInputs.StateKey),
            Path.Combine(RootDirectory, ".gitops", "keys", CosignKeyPairWriter.PublicKeyFile));

    /// <summary>Signs a failing scan of a pushed image as an attestation, with the key Sign would use, when one is at hand.</summary>
    async Task AttestFailedScanAsync(ScanVerdict verdict, TargetContext ctx)
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
            var request = new SignRequest(image, SigningKey, SigningPassword(), Path.Combine(RootDirectory, ".gitops", "keys")) { AllowDevelopmentKey = Host.IsDeveloperMachine };
            var location = await new ReleaseSigner(new CosignSigner(new RegistrySignatureStore(registry), ctx.Log), ctx.Log)
                .AttestScanAsync(request, ScanAttestation.ToPredicate(verdict), ctx.CancellationToken);
            ctx.Note("Failing scan attested", location);
        }
        catch (PipelineException e)
        {
            ctx.Log.Warn($"The failing scan of {verdict.ImageDigest} could not be attached as a signed attestation: {e.Message}");
        }
    }

    /// <summary>A given key must load with its password; in CI one must be given (no development key there).</summary>
    Task SigningConfigurationAsync(CancellationToken cancellationToken)
    {
        if (Keyless) return Task.CompletedTask;
        if (SigningKey is { Length: > 0 }) Pipelines.Signing.SigningKey.Load(SigningKey, SigningPassword()).Dispose();
        else if (!Host.IsDeveloperMachine)
            throw new PipelineException("No signing key: pass --signing-key (PIPELINE_SIGNING_KEY in CI: a cosign.key file or its PEM) and --signing-key-password. " +
                                        "A development key is generated only on a laptop, never in CI.");
        return Task.CompletedTask;
    }

    string SigningPassword()
    {
        // COSIGN_PASSWORD, cosign's own variable, binds this parameter, so an existing cosign setup works unchanged.
        var password = SigningKeyPassword ?? "";
        Host.AddSecret(password);
        return password;
    }
}
