using Pipelines.Containers;
using Pipelines.Workspace;

namespace Pipelines.Scanning;

/// <summary>What Scan scans for a service.</summary>
internal static class ScanSubjects
{
    /// <summary>A pushed image by digest, or the local image of a build without push; <c>--image</c> when given.</summary>
    public static ScanSubject Of(PipelineState state, string service, string? explicitImage)
    {
        if (explicitImage is not { Length: > 0 } && ServiceImages.Built(state, service) is { Digest: null } local)
            return new ScanSubject(local.Url, local.ImageId, IsLocal: true);
        var image = ServiceImages.Select(state, service, explicitImage).ToString();
        return new ScanSubject(image, TrivyScanner.DigestOf(image), IsLocal: false);
    }
}
