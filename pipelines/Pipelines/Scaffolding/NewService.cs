namespace Pipelines.Scaffolding;

/// <summary>A service to add to a repository, as <c>./build.sh AddService</c> and the template describe it.</summary>
/// <param name="Name">The service's name, already checked against the build's name rule.</param>
/// <param name="Project">A .NET project (relative path) the build publishes before <c>docker build</c>; null for a plain Dockerfile.</param>
/// <param name="Port">The port the container listens on; null for a worker (no Service, no port, no ingress).</param>
/// <param name="Registry">The registry (host[/namespace]) the overlays and the admission policy name the image under.</param>
/// <param name="Environments">The environments that get an overlay, in order.</param>
internal sealed record NewService(string Name, string? Project, int? Port, string Registry, IReadOnlyList<string> Environments)
{
    /// <summary>True for a worker: it listens on nothing.</summary>
    public bool IsWorker => Port is null;

    /// <summary>The assembly the publish output runs: the project's file name without its extension.</summary>
    public string? Assembly => Project is null ? null : Path.GetFileNameWithoutExtension(Project.Replace('\\', '/').Split('/')[^1]);
}
