using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Processes;

namespace Pipelines.Signing;

/// <summary>
/// Keyless signing (Fulcio certificate from the workflow's OIDC identity, Rekor transparency log) by
/// delegating to the <c>cosign</c> binary. It only works on GitHub Actions with <c>permissions: id-token: write</c>
/// (which sets <c>ACTIONS_ID_TOKEN_REQUEST_URL</c>) and with internet access; everywhere else it refuses
/// before doing anything, and the key-based <see cref="CosignSigner"/> is the way.
/// </summary>
internal sealed class KeylessSigner(ILog log, IReadOnlyDictionary<string, string> environment, string cosignExecutable = "cosign")
{
    /// <summary>Throws a <see cref="PipelineException"/> saying what is missing unless keyless signing can run here.</summary>
    public void EnsureAvailable()
    {
        if (environment.GetValueOrDefault("GITHUB_ACTIONS") != "true")
            throw new PipelineException("--keyless needs GitHub Actions with an OIDC token (Fulcio and Rekor are on the internet); here, sign with a key: pass --signing-key, or run GenerateKey.");
        if (string.IsNullOrEmpty(environment.GetValueOrDefault("ACTIONS_ID_TOKEN_REQUEST_URL")))
            throw new PipelineException("--keyless found no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set); add `permissions: id-token: write` to the workflow job.");
        if (Command.Resolve(cosignExecutable) is null)
            throw new PipelineException($"--keyless delegates to `{cosignExecutable}`, which is not installed; add the sigstore/cosign-installer step to the workflow.");
    }

    /// <summary>Runs <c>cosign sign --yes &lt;image@digest&gt;</c> (cosign reads the OIDC token itself).</summary>
    public async Task SignAsync(ImageReference image, CancellationToken cancellationToken)
    {
        EnsureAvailable();
        if (!image.HasDigest)
            throw new PipelineException($"The image {image} has no digest; keyless signing signs by digest.");
        var result = await new Command(cosignExecutable)
            .WithArguments("sign", "--yes", image.ToString())
            .WithMissingHint("add the sigstore/cosign-installer step to the workflow")
            .ExecuteAsync(log, cancellationToken);
        result.EnsureSuccess("cosign sign (keyless)");
        log.Info($"Signed {image} keyless with cosign (Fulcio certificate, Rekor entry).");
    }
}
