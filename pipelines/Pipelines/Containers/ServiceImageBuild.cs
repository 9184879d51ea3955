using Pipelines.Docker;
using Pipelines.Registry;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.Containers;

/// <summary>
/// Containerize for a build's services, one after another: each image is built and pushed and recorded in the state
/// under its service; with several services, one whose inputs (commit aside) did not change keeps its image, so a
/// commit to one service does not rebuild, re-sign and restart the others. One service is a list of one.
/// </summary>
internal sealed class ServiceImageBuild(DockerEngine docker, RegistryClient registry, ILog log)
{
    /// <summary>Builds (or keeps) every service's image, records each in the state, and returns them in order.</summary>
    public async Task<ServiceImagesBuilt> BuildAsync(ServiceImageBuildRequest request, PipelineState state, CancellationToken cancellationToken)
    {
        var images = new List<ServiceImage>();
        foreach (var service in request.Services)
        {
            string? key = null;
            if (request.Unchanged is { } unchanged)
            {
                var own = new Fingerprint(request.RootDirectory);
                await ContainerizeInputs.DeclareAsync(own, service.Options, docker, log, cancellationToken);
                key = UnchangedImages.KeyOf(own);
                if (key is not null && await unchanged.FindAsync(service.Name, key, registry, cancellationToken) is { } previous)
                {
                    log.Info($"{service.Name}: nothing it is built from changed since {previous.Tags[0]}; keeping {previous.Reference}.");
                    ServiceImages.Record(state, service.Name, previous, request.Commit);
                    images.Add(new ServiceImage(service.Name, previous, KeptSince: previous.Tags[0]));
                    continue;
                }
            }
            var image = await new ImageBuilder(docker, log, registry: registry).BuildAsync(service.Options, cancellationToken);
            ServiceImages.Record(state, service.Name, image, request.Commit);
            if (request.Unchanged is { } kept && key is not null) kept.Save(service.Name, key, image);
            images.Add(new ServiceImage(service.Name, image, KeptSince: null));
        }
        return new ServiceImagesBuilt(images);
    }
}

/// <summary>What <see cref="ServiceImageBuild"/> builds.</summary>
/// <param name="RootDirectory">The repository root the services' paths are relative to.</param>
/// <param name="Services">Each service's name and how its image is built, in order.</param>
internal sealed record ServiceImageBuildRequest(string RootDirectory, IReadOnlyList<ServiceImageOptions> Services)
{
    /// <summary>The kept images of earlier runs; null builds every service (a build of one service tags each commit).</summary>
    public UnchangedImages? Unchanged { get; init; }
    /// <summary>The commit checked out, recorded beside each image (Deploy warns about an image of another commit).</summary>
    public string? Commit { get; init; }
}

/// <summary>One service's image as Containerize builds it.</summary>
internal sealed record ServiceImageOptions(string Name, ContainerizeOptions Options);

/// <summary>A service's image after Containerize.</summary>
/// <param name="KeptSince">The tag of the earlier run whose image it kept; null when it was built now.</param>
internal sealed record ServiceImage(string Service, BuiltImage Image, string? KeptSince);

/// <summary>Every service's image, in the order of the request.</summary>
internal sealed record ServiceImagesBuilt(IReadOnlyList<ServiceImage> Images)
{
    /// <summary>Publishes IMAGES (Tekton Chains' list form), and IMAGE_URL and IMAGE_DIGEST for a build of one service.</summary>
    public void Publish(Action<string, string> publish, bool single) => ServiceImages.Publish(publish, [.. Images.Select(i => i.Image)], single);
}
