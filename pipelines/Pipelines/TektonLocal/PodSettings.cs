using Pipelines.Hosts;

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
        if (Substitutes.TryGetValue(image, out var substitute))
            return substitute == RunnerChoice.HostTools ? (Runner.Image, Runner.Binds.Count > 0) : (substitute, false);
        return LocalEngine.SplitReference(image).Repository == RunnerRepository ? (Runner.Image, Runner.Binds.Count > 0) : (image, false);
    }
}
