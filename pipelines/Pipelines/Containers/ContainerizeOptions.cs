using Pipelines.Oci;

namespace Pipelines.Containers;

/// <summary>What the Containerize capability builds and where it pushes. Relative paths are under <see cref="RootDirectory"/>.</summary>
internal sealed record ContainerizeOptions
{
    /// <summary>The repository root: where git runs and relative paths start.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Registry and optional namespace to push to: <c>host[:port][/namespace]</c>.</summary>
    public required string Registry { get; init; }

    /// <summary>The repository name under the registry (and namespace).</summary>
    public required string ImageName { get; init; }

    /// <summary>The project to publish self-contained before the build; null to build the context as it is.</summary>
    public string? Project { get; init; }

    /// <summary>The Dockerfile.</summary>
    public required string Dockerfile { get; init; }

    /// <summary>The build context folder.</summary>
    public required string Context { get; init; }

    /// <summary>Where the publish output goes; null: <c>publish/</c> inside the context (what the Dockerfile copies).</summary>
    public string? PublishDirectory { get; init; }

    /// <summary>The runtime identifier to publish for.</summary>
    public string RuntimeIdentifier { get; init; } = "linux-x64";

    /// <summary>The base image, passed as the build argument <c>BASE_IMAGE</c>; null: the Dockerfile's default,
    /// or a locally assembled base when that default is neither present nor pullable.</summary>
    public string? BaseImage { get; init; }

    /// <summary>Further build arguments.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether to push the tags to the registry.</summary>
    public bool Push { get; init; } = true;

    /// <summary>Ignore the daemon's build cache.</summary>
    public bool NoCache { get; init; }

    /// <summary>The Dockerfile stage to build (<c>docker build --target</c>); null: the last stage.</summary>
    public string? Target { get; init; }

    /// <summary>The platform to build for, os/arch (<c>docker build --platform</c>); null: the daemon's.</summary>
    public string? Platform { get; init; }

    /// <summary>Always try to pull a newer base image (<c>docker build --pull</c>).</summary>
    public bool Pull { get; init; }

    /// <summary>Credentials for the push; null: anonymous.</summary>
    public RegistryCredential? Credentials { get; init; }
}
