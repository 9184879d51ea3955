namespace Pipelines.Scanning;

/// <summary>
/// One Trivy invocation to run in a container when no <c>trivy</c> binary is installed: the same
/// arguments, paths already rewritten to the container side of <see cref="Copies"/> (and <see cref="CachePath"/>).
/// </summary>
/// <param name="Image">The Trivy image to run.</param>
/// <param name="Arguments">Trivy's arguments (the image's entrypoint is <c>trivy</c>).</param>
/// <param name="Environment">Variables for the container (credentials among them: never in the arguments).</param>
/// <param name="Copies">
/// Host files and folders copied into the container before it starts, and back out after it exits when marked so.
/// Copied with the engine's archive API rather than bind-mounted: a daemon on another filesystem (a dind sidecar, a
/// remote DOCKER_HOST) does not see this machine's paths, and would bind an empty folder of its own instead.
/// </param>
/// <param name="Timeout">Stop and remove the container after this long.</param>
internal sealed record TrivyContainerRun(
    string Image,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyList<TrivyContainerCopy> Copies,
    TimeSpan Timeout)
{
    /// <summary>
    /// The official image of the release this toolkit was tested against. Pinned by tag here; pin a digest
    /// with <c>--trivy-image</c> once it is verified (no registry was reachable when this was written).
    /// </summary>
    public const string DefaultImage = "ghcr.io/aquasecurity/trivy:0.74.0";

    /// <summary>Where Trivy's cache (the vulnerability database) is mounted: a Docker volume, never a host folder.</summary>
    public const string CachePath = "/trivy/cache";

    /// <summary>Where the daemon's Docker socket is mounted, so Trivy can read images from the daemon.</summary>
    public const string DockerSocket = "/var/run/docker.sock";
}

/// <summary>A host file or folder the Trivy container gets a copy of.</summary>
/// <param name="HostPath">The file or folder on this machine (absolute).</param>
/// <param name="ContainerPath">Where it is in the container (absolute).</param>
/// <param name="CopyBack">Copy the container's folder back over <paramref name="HostPath"/> after the container exits (Trivy's output).</param>
internal sealed record TrivyContainerCopy(string HostPath, string ContainerPath, bool CopyBack = false);
