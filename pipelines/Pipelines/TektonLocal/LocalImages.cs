using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Oci;

namespace Pipelines.TektonLocal;

/// <summary>
/// Makes the images of a local run present before anything starts. A pull that fails is not an error here but a
/// reason: the caller gathers the reasons of every image into one message (or falls back to another runner image).
/// </summary>
internal static class LocalImages
{
    /// <summary>True when the engine has <paramref name="image"/> (as written: a tag, a digest pin or an ID).</summary>
    public static async Task<bool> HasAsync(DockerEngine engine, string image, CancellationToken cancellationToken) =>
        await engine.InspectImageAsync(image, cancellationToken) is not null;

    /// <summary>Pulls <paramref name="image"/> within <paramref name="limit"/>; returns why it is not here, or null when it arrived.</summary>
    public static async Task<string?> PullAsync(DockerEngine engine, string image, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var reference, out var invalid)) return $"not an image reference: {invalid}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            // The repository and the digest (else the tag) as the pull API takes them; the daemon resolves Docker Hub's names.
            await engine.PullImageAsync(reference!.RepositoryUrl, reference.ManifestReference, cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {limit.TotalSeconds:0}s";
        }
        catch (DockerStreamException e)
        {
            return e.DaemonMessage;
        }
        catch (DockerApiException e)
        {
            return e.DaemonMessage;
        }
        return await HasAsync(engine, image, cancellationToken) ? null : "the engine reported no error but has no such image";
    }
}
