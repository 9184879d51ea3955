using Pipelines.Hosts;
using Pipelines.Containers;
using Pipelines.Signing;
using Pipelines.Targets;
using Pipelines.Logging;

namespace Pipelines.Components;

/// <summary>Verify: each service's image checked against the trusted public key, as a cluster's admission policy would.</summary>
public interface IVerify : IServices, ISigningKeys
{
    /// <summary>Checks every selected service's image against the public key.</summary>
    Target Verify => _ => _
        .Description("Checks each service's image signatures (and --require-attestations) against --public-key")
        .Executes(async ctx =>
        {
            var key = TrustedKey(ctx.State);
            ctx.Log.Info($"Public key: {key.Source}");
            using var registry = CreateRegistryClient();
            var verifier = new SignatureVerifier(new RegistrySignatureStore(registry));
            foreach (var service in SelectedServices)
            {
                var result = await verifier.VerifyAsync(ServiceImages.Select(ctx.State, service.Name, Image), key, VerificationPolicy.FromNames(RequireAttestations), ctx.CancellationToken);
                result.Report(ctx.Log, service.Name);
                result.EnsureVerified();
                ctx.Note(NoteFor("Verified", service), result.Summary);
            }
            ctx.Note("Public key", key.Source);
        });
}
