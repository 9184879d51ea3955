using System.Diagnostics;
using Pipelines.Containers;
using Pipelines.Hosts;
using Pipelines.Scanning;
using Pipelines.Signing;
using Pipelines.Targets;
using Pipelines.Oci;
using Pipelines.Workspace;

namespace Pipelines.Components;

/// <summary>The Sign stage: each service's image signed by digest, with SLSA provenance, the SBOM and the scan verdict attached.</summary>
public interface ISign : IScan
{
    [Parameter("Annotations Sign puts in the signature payload (cosign sign -a): key=value")]
    string[] SignAnnotations => ValueOf(() => SignAnnotations, []);

    /// <summary>Signs every selected service's image and attaches its attestations.</summary>
    Target Sign => _ => _
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
                    ? await SignInputs.StillSignedAsync(run, new SignatureVerifier(new RegistrySignatureStore(registry)), key, request.Annotations, cancellationToken, ServiceSigning.StateKey(service.Name))
                    : "no signing key";
                if (reason is not null) return MessageFor(service, reason);
            }
            return null;
        })
        .Executes(async ctx =>
        {
            using var registry = CreateRegistryClient();
            var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken);
            var provenance = new SlsaProvenance(SlsaProvenance.DefaultBuildType, Host.RunId, source, NonSecretParameterValues(),
                Process.GetCurrentProcess().StartTime.ToUniversalTime(), DateTimeOffset.UtcNow, Host.Name);
            var requests = SelectedServices.Select(service => new ServiceSignRequest(service.Name,
                    SignRequestFor(service, ServiceImages.Select(ctx.State, service.Name, Image), ctx.State) with { Provenance = provenance })
                { Keyless = Keyless ? PipelineHost.CurrentEnvironment() : null }).ToList();
            var signatures = await new ServiceSigning(registry, ctx.Log).SignAsync(requests, ctx.State, ctx.CancellationToken);
            foreach (var (service, signature) in SelectedServices.Zip(signatures))
            {
                if (signature.Signed is not { } signed)
                {
                    ctx.Note(NoteFor("Signed", service), $"{signature.Image} (keyless)");
                    continue;
                }
                ctx.Note(NoteFor("Signed", service), $"{signed.Image} by {signed.KeyFingerprint}{(signed.Added ? "" : " (already signed)")}");
                ctx.Note(NoteFor("Attestations", service), signed.Attestations.Count == 0 ? "none" : string.Join(", ", signed.Attestations));
            }
            ctx.Publish("SIGNATURE_REF", string.Join(',', signatures.Where(s => s.Signed is not null).Select(s => s.Signed!.SignatureReference)));
        });

    /// <summary>What Sign signs and attests for the image, provenance aside (it records the run itself).</summary>
    internal SignRequest SignRequestFor(Service service, ImageReference image, PipelineState state)
    {
        // The service's last finished scan wrote its folder: its SBOM is this image's only when that scan was of this digest.
        var scan = state.GetRecord<ScanVerdict>(ServiceScan.StateKey(service.Name));
        return new SignRequest(image, SigningKey, SigningPassword(), Layout.KeysDirectory)
        {
            Annotations = SignatureAnnotations.Parse(SignAnnotations),
            Sbom = scan is { TrivyVersion: not null } && scan.ImageDigest == image.Digest
                ? CycloneDxSbom.Load(Path.Combine(ScanDirectory(service), ServiceScan.SbomFile))
                : null,
            // The latest finished verdict of this digest, passed or failed: a failure is signed too, so that no older pass outlives it.
            ScanResults = ScanVerdicts.For(state, image.Digest!) is { TrivyVersion: not null } verdict ? ScanAttestation.ToPredicate(verdict) : null,
            AllowDevelopmentKey = Host.IsDeveloperMachine,
        };
    }
}
