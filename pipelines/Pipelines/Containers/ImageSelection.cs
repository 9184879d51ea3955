using Pipelines.Oci;
using Pipelines.Workspace;

namespace Pipelines.Containers;

/// <summary>
/// Picks the image that Scan, Sign and Deploy act on. Those steps must name content, not a movable tag, so the
/// result always carries a digest: from an explicit <c>--image &lt;ref&gt;@sha256:…</c>, else from the
/// <c>IMAGE_URL</c> and <c>IMAGE_DIGEST</c> outputs Containerize recorded in the pipeline state.
/// </summary>
internal static class ImageSelection
{
    /// <summary>The state output holding <c>repository:tag</c> (the name Tekton Chains reads).</summary>
    public const string ImageUrlOutput = "IMAGE_URL";

    /// <summary>The state output holding the manifest digest (<c>sha256:…</c>).</summary>
    public const string ImageDigestOutput = "IMAGE_DIGEST";

    /// <summary>
    /// The image to act on: <paramref name="explicitImage"/> when given (it must carry a digest), else the state's
    /// <c>IMAGE_URL</c> pinned to <c>IMAGE_DIGEST</c>. Throws a <see cref="PipelineException"/> saying what to pass otherwise.
    /// </summary>
    /// <param name="explicitImage">The <c>--image</c> parameter, or null/empty.</param>
    /// <param name="state">The pipeline state (outputs of earlier targets), or null when there is none.</param>
    public static ImageReference Select(string? explicitImage, PipelineState? state) =>
        Select(explicitImage, state?.Get(ImageUrlOutput), state?.Get(ImageDigestOutput));

    /// <summary>As <see cref="Select(string?, PipelineState?)"/>, with the two outputs given directly.</summary>
    public static ImageReference Select(string? explicitImage, string? imageUrl, string? imageDigest)
    {
        if (!string.IsNullOrWhiteSpace(explicitImage)) return FromParameter(explicitImage.Trim());

        if (string.IsNullOrWhiteSpace(imageUrl) && string.IsNullOrWhiteSpace(imageDigest))
            throw new PipelineException(
                $"No image to act on: run Containerize first (it records IMAGE_URL and IMAGE_DIGEST in {WorkspaceLayout.Relative.StateFile}), " +
                "or pass --image <registry>/<repository>@sha256:<digest>.");
        if (string.IsNullOrWhiteSpace(imageDigest))
            throw new PipelineException(
                $"The pipeline state has IMAGE_URL '{imageUrl}' but no IMAGE_DIGEST: run Containerize with --push (the digest comes from the registry), " +
                "or pass --image <ref>@sha256:<digest>.");
        if (string.IsNullOrWhiteSpace(imageUrl))
            throw new PipelineException(
                $"The pipeline state has IMAGE_DIGEST '{imageDigest}' but no IMAGE_URL: run Containerize again, or pass --image <ref>@sha256:<digest>.");

        var digest = Digest.Validate(imageDigest.Trim(), "IMAGE_DIGEST");
        var reference = ParseOutput(imageUrl.Trim());
        if (reference.Digest is not null && reference.Digest != digest)
            throw new PipelineException(
                $"IMAGE_URL '{imageUrl}' pins {reference.Digest} but IMAGE_DIGEST is {digest}: the state is inconsistent; run Containerize again.");
        return reference.WithDigest(digest);
    }

    private static ImageReference FromParameter(string image)
    {
        ImageReference reference;
        try { reference = ImageReference.Parse(image); }
        catch (PipelineException e) { throw new PipelineException("--image: " + e.Message, e); }
        if (reference.Digest is null)
            throw new PipelineException(
                $"--image '{image}' names a tag, which can move: an image must be named by digest, as <ref>@sha256:<digest>. " +
                $"Find the digest with `docker buildx imagetools inspect {reference}` (or `crane digest {reference}`), " +
                "or take IMAGE_DIGEST from the Containerize output.");
        return reference;
    }

    private static ImageReference ParseOutput(string imageUrl)
    {
        try { return ImageReference.Parse(imageUrl); }
        catch (PipelineException e) { throw new PipelineException("IMAGE_URL in the pipeline state: " + e.Message + " Run Containerize again.", e); }
    }
}
