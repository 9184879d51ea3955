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

    /// <summary>Labels on the container, so that tests and cleanups can find their own.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
