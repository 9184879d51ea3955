using Pipelines.Logging;

namespace Pipelines.TektonLocal;

/// <summary>What every TaskRun pod of one local PipelineRun shares.</summary>
internal sealed record PodSettings(
    LocalEngine Engine, string Run, string Namespace, RunnerChoice Runner, string RunnerRepository,
    IReadOnlyDictionary<string, string> Substitutes, LocalSecrets Secrets, RenderedTekton Rendered,
    ILog Log, SecretMasker Masker, bool HostNetwork, long? FsGroup, IReadOnlyList<string> HostPaths,
    string? DockerSocket, string? DockerSocketGroup)
{
    /// <summary>The local image a step's image runs as, and whether it needs the runner's host mounts.</summary>
    public (string Image, bool IsRunner) Resolve(string image)
    {
        if (Aliases(image).Select(alias => Substitutes.GetValueOrDefault(alias)).FirstOrDefault(found => found is not null) is { } substitute)
            return substitute == RunnerChoice.HostTools ? (Runner.Image, Runner.Binds.Count > 0) : (substitute, false);
        return LocalEngine.SplitReference(image).Repository == RunnerRepository ? (Runner.Image, Runner.Binds.Count > 0) : (image, false);
    }

    /// <summary>
    /// The names a user may give an image by in --tekton-images: as written, without its digest pin, and without
    /// Docker Hub's implicit docker.io/ and library/ prefixes (docker.io/curlimages/curl:8.11.1@sha256:… is also
    /// curlimages/curl:8.11.1).
    /// </summary>
    internal static IEnumerable<string> Aliases(string image)
    {
        yield return image;
        var unpinned = image.Split('@')[0];
        if (unpinned != image) yield return unpinned;
        foreach (var prefix in new[] { "docker.io/library/", "docker.io/" })
            if (unpinned.StartsWith(prefix, StringComparison.Ordinal)) { yield return unpinned[prefix.Length..]; break; }
    }
}
