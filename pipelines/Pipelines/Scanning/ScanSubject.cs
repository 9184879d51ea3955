using Pipelines.Containers;
using Pipelines.Targets;

namespace Pipelines.Scanning;

/// <summary>What Scan looks at: a pushed image by digest, or the local image a build without --push left.</summary>
/// <param name="Image">What Trivy is given: <c>ref@sha256:…</c>, or a local <c>repository:tag</c>.</param>
/// <param name="Identity">What the verdict records: the digest, or the local image ID.</param>
public sealed record ScanSubject(string Image, string Identity, bool IsLocal)
{
    /// <summary>
    /// <c>--image</c> when given; else IMAGE_URL@IMAGE_DIGEST from the state; else, when Containerize ran with
    /// <c>--push false</c>, its local image (Trivy reads it from the Docker daemon). A local verdict names an image
    /// ID, never a registry digest, so Deploy can never mistake it for a scan of a pushed image.
    /// </summary>
    public static ScanSubject Resolve(string? explicitImage, PipelineState state)
    {
        if (string.IsNullOrWhiteSpace(explicitImage)
            && string.IsNullOrWhiteSpace(state.Get(ImageSelection.ImageDigestOutput))
            && state.GetRecord<BuiltImage>(BuiltImage.StateKey) is { Digest: null } local)
            return new ScanSubject(local.Url, local.ImageId, IsLocal: true);

        var image = ImageSelection.Select(explicitImage, state).ToString();
        return new ScanSubject(image, TrivyScanner.DigestOf(image), IsLocal: false);
    }
}
