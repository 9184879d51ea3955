using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;

namespace Pipelines.TektonLocal;

/// <summary>What every TaskRun pod of one local PipelineRun shares (<paramref name="HostFolders"/>: host folder → path in every step).</summary>
internal sealed record PodSettings(
    DockerEngine Engine, string Run, string Namespace, RunnerChoice Runner, string RunnerRepository,
    IReadOnlyDictionary<string, string> Substitutes, LocalSecrets Secrets, RenderedTekton Rendered,
    ILog Log, SecretMasker Masker, bool HostNetwork, IReadOnlyList<KeyValuePair<string, string>> HostFolders,
    string? DockerSocket, string? DockerSocketGroup)
{
    /// <summary>The local image a step's image runs as, and whether it needs the runner's host mounts.</summary>
    public (string Image, bool IsRunner) Resolve(string image)
    {
        if (Aliases(image).Select(alias => Substitutes.GetValueOrDefault(alias)).FirstOrDefault(found => found is not null) is { } substitute)
            return substitute == RunnerChoice.HostTools ? (Runner.Image, Runner.Binds.Count > 0) : (substitute, false);
        return RepositoryOf(image) == RunnerRepository ? (Runner.Image, Runner.Binds.Count > 0) : (image, false);
    }

    /// <summary>The run's workspace and config volumes (one instance shared by every copy of these settings).</summary>
    public RunVolumes Volumes { get; init; } = new();

    /// <summary>The label on everything a run creates, so that <see cref="LocalPipelineRunner"/> finds and removes it on every exit path.</summary>
    public IReadOnlyDictionary<string, string> RunLabels => new Dictionary<string, string> { [LocalPipelineRunner.RunLabel] = Run };

    /// <summary>
    /// An image's repository without tag or digest, so a tag and a digest pin of the same image match; a text that is
    /// no reference yet (an unsubstituted <c>$(params.…)</c>) stands for itself.
    /// </summary>
    internal static string RepositoryOf(string image) =>
        ImageReference.TryParse(image, out var reference, out _) ? reference!.RepositoryUrl : image;

    /// <summary>
    /// The names a user may give an image by in --tekton-images: as written, and without its digest pin both in full
    /// and as people type it (Docker Hub's implicit docker.io/ and library/ left out): docker.io/curlimages/curl:8.11.1@sha256:…
    /// is also docker.io/curlimages/curl:8.11.1 and curlimages/curl:8.11.1.
    /// </summary>
    internal static IEnumerable<string> Aliases(string image)
    {
        yield return image;
        if (!ImageReference.TryParse(image, out var reference, out _)) yield break;
        var tag = reference!.Tag is { } t ? ":" + t : "";
        yield return reference.RepositoryUrl + tag;
        yield return reference.FamiliarName + tag;
    }
}
