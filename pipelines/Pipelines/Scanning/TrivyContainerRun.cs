namespace Pipelines.Scanning;

/// <summary>
/// One Trivy invocation to run in a container when no <c>trivy</c> binary is installed: the same
/// arguments, paths already rewritten to the container side of <see cref="Mounts"/>.
/// </summary>
/// <param name="Image">The Trivy image to run.</param>
/// <param name="Arguments">Trivy's arguments (the image's entrypoint is <c>trivy</c>).</param>
/// <param name="Environment">Variables for the container (credentials among them: never in the arguments).</param>
/// <param name="Mounts">Bind mounts: host path → container path (cache, output, Docker socket).</param>
/// <param name="Timeout">Stop and remove the container after this long.</param>
internal sealed record TrivyContainerRun(
    string Image,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyList<KeyValuePair<string, string>> Mounts,
    TimeSpan Timeout)
{
    /// <summary>
    /// The official image of the release this toolkit was tested against. Pinned by tag here; pin a digest
    /// with <c>--trivy-image</c> once it is verified (no registry was reachable when this was written).
    /// </summary>
    public const string DefaultImage = "ghcr.io/aquasecurity/trivy:0.74.0";

    /// <summary>Where the host's Docker socket is mounted, so Trivy can read images from the daemon.</summary>
    public const string DockerSocket = "/var/run/docker.sock";
}
