namespace Pipelines.Docker;

/// <summary>What <c>POST /build</c> gets: the context and the query parameters the toolkit uses.</summary>
/// <param name="Context">The files to send; also names the Dockerfile inside the archive.</param>
internal sealed record ImageBuildRequest(BuildContext Context)
{
    /// <summary>Names to tag the result with (<c>repository:tag</c>), the <c>t</c> parameter repeated.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Values for the Dockerfile's <c>ARG</c>s.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels added to the image.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The stage to stop at, for multi-stage Dockerfiles.</summary>
    public string? Target { get; init; }

    /// <summary>The platform to build for (<c>linux/amd64</c>); the daemon's own when null.</summary>
    public string? Platform { get; init; }

    /// <summary>Always try to pull newer base images.</summary>
    public bool Pull { get; init; }

    /// <summary>Ignore the daemon's build cache.</summary>
    public bool NoCache { get; init; }
}
