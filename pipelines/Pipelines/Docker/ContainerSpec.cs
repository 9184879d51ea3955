namespace Pipelines.Docker;

/// <summary>What <c>POST /containers/create</c> gets: the parts the toolkit uses to run an image.</summary>
/// <param name="Image">The image to run.</param>
internal sealed record ContainerSpec(string Image)
{
    /// <summary>Replaces the image's CMD when set.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image's ENTRYPOINT when set.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Environment variables (<c>NAME=value</c> pairs).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Container TCP ports published on 127.0.0.1 at a port the daemon picks (read it back with <see cref="DockerEngine.InspectContainerPortAsync"/>).</summary>
    public IReadOnlyList<int> PublishedPorts { get; init; } = [];

    /// <summary>Host folders mounted into the container (<c>/host/path:/container/path[:ro]</c>).</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>
    /// Paths on the daemon's host mounted with the mount API (<c>--mount type=bind</c>): source → container path. Unlike
    /// <see cref="Binds"/>, a source the daemon's host lacks fails the create (<see cref="DockerEngine.IsMissingMountSource"/>)
    /// instead of becoming an empty folder there, so a caller can tell the daemon's filesystem apart from its own.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> StrictBinds { get; init; } = [];

    /// <summary>Labels on the container, so that tests and cleanups can find their own.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The container's name; the daemon makes one up when null.</summary>
    public string? Name { get; init; }

    /// <summary>Replaces the image's WORKDIR when set.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Replaces the image's USER when set (<c>uid</c> or <c>uid:gid</c>).</summary>
    public string? User { get; init; }

    /// <summary>
    /// The network the container joins: <c>bridge</c>, <c>host</c>, <c>none</c> or <c>container:&lt;id&gt;</c> (share another
    /// container's namespace, as the containers of a pod do); the daemon's default when null.
    /// </summary>
    public string? NetworkMode { get; init; }

    /// <summary>Extra groups the container's user belongs to (<c>--group-add</c>).</summary>
    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    /// <summary>Runs the container privileged (<c>--privileged</c>).</summary>
    public bool Privileged { get; init; }

    /// <summary>Linux capabilities added (<c>--cap-add</c>).</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    /// <summary>Linux capabilities dropped (<c>--cap-drop</c>).</summary>
    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary>Security options (<c>--security-opt</c>), such as <c>no-new-privileges</c>.</summary>
    public IReadOnlyList<string> SecurityOptions { get; init; } = [];

    /// <summary>The memory limit in bytes; none when null.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>The CPU limit in billionths of a CPU (<c>--cpus 0.5</c> = 500000000); none when null.</summary>
    public long? NanoCpus { get; init; }
}
