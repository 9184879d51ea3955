namespace Pipelines.Components;

/// <summary>
/// One deployable of a build: an image built from a Dockerfile and deployed as an app of the manifests repository.
/// A build lists its services once (<see cref="GitOpsBuild.Services"/>); Containerize, Scan and Sign run for each,
/// and Deploy commits all their digests for an environment in one commit.
/// </summary>
/// <param name="Name">
/// A lower-case DNS label (<c>orders</c>, <c>link-check</c>): the image's repository name under the registry and the
/// app under <c>apps/&lt;name&gt;/</c> in the manifests repository.
/// </param>
public sealed record Service(string Name)
{
    private readonly string? _context;
    private readonly string? _dockerfile;

    /// <summary>The build context folder, relative to the repository root; default <c>src/&lt;name&gt;</c>.</summary>
    public string Context { get => _context ?? $"src/{Name}"; init => _context = value; }

    /// <summary>The Dockerfile, relative to the repository root; default <c>&lt;context&gt;/Dockerfile</c>.</summary>
    public string Dockerfile { get => _dockerfile ?? $"{Context}/Dockerfile"; init => _dockerfile = value; }

    /// <summary>
    /// A .NET project published self-contained into <c>&lt;context&gt;/publish</c> before <c>docker build</c>;
    /// null for a plain Dockerfile that builds everything itself.
    /// </summary>
    public string? Project { get; init; }

    /// <summary>How the manifests name the image today (a kustomization <c>images[].name</c>); default the service name.</summary>
    public string? ManifestsImage { get; init; }

    /// <summary>The same service built from another context: a Dockerfile not declared explicitly follows the context.</summary>
    public Service WithContext(string context) => _dockerfile is null
        ? this with { Context = context, Dockerfile = $"{context}/Dockerfile" }
        : this with { Context = context };

    /// <summary>The repository name of the image under the registry: the service name.</summary>
    public string ImageName => Name;

    /// <summary>The image name Deploy looks for in the manifests.</summary>
    public string ManifestsImageName => ManifestsImage ?? Name;
}
