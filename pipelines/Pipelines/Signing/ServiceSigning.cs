using Pipelines.Registry;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.Signing;

/// <summary>
/// Sign for a build's services: each image signed by digest in cosign's layout with its attestations (or keyless
/// through the cosign binary), and what was signed recorded per service and, for the last, under the plain key that
/// Verify and Deploy read to know which key this run signed with.
/// </summary>
internal sealed class ServiceSigning(RegistryClient registry, ILog log)
{
    /// <summary>The state record of what Sign signed for a service.</summary>
    public static string StateKey(string service) => $"{SignInputs.StateKey}:{service}";

    /// <summary>Signs each service's image; returns what each signature is, in order (null for a keyless one, which records nothing).</summary>
    public async Task<IReadOnlyList<ServiceSignature>> SignAsync(IReadOnlyList<ServiceSignRequest> services, PipelineState state, CancellationToken cancellationToken)
    {
        var signatures = new List<ServiceSignature>();
        foreach (var service in services)
        {
            if (service.Keyless is { } environment)
            {
                await new KeylessSigner(log, environment).SignAsync(service.Request.Image, cancellationToken);
                signatures.Add(new ServiceSignature(service.Name, service.Request.Image.ToString(), null));
                continue;
            }
            var signed = await new ReleaseSigner(new CosignSigner(new RegistrySignatureStore(registry), log), log).SignAsync(service.Request, cancellationToken);
            state.SetRecord(StateKey(service.Name), signed);
            state.SetRecord(SignInputs.StateKey, signed);
            signatures.Add(new ServiceSignature(service.Name, signed.Image, signed));
        }
        return signatures;
    }
}

/// <summary>One service's signature: the request (image, key, attestations), or keyless signing in the given environment.</summary>
internal sealed record ServiceSignRequest(string Name, SignRequest Request)
{
    /// <summary>The environment keyless signing reads its identity token from; null signs with the request's key.</summary>
    public IReadOnlyDictionary<string, string>? Keyless { get; init; }
}

/// <summary>What Sign did for a service: the image, and the signature unless it was signed keyless.</summary>
internal sealed record ServiceSignature(string Service, string Image, SignedImage? Signed);
