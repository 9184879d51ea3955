using Pipelines.Oci;
using Pipelines.Workspace;
using Pipelines.Hosts;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Registry;
using Pipelines.Signing;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>The Containerize stage: each service published, built through the Docker API, tagged and pushed.</summary>
public interface IContainerize : ITest, IServices, IRegistryAccess
{
    [Parameter("Dockerfile for one --service, in place of the service's", PerService = true, LocalOnly = true)]
    string? Dockerfile => ValueOf(() => Dockerfile, null);

    [Parameter("Build context folder for one --service, in place of the service's (a .NET project is published into its publish/ folder)", PerService = true, LocalOnly = true)]
    string? Context => ValueOf(() => Context, null);

    [Parameter("Repository name of the image under the registry for one --service, in place of the service's name", PerService = true, LocalOnly = true)]
    string? ImageName => ValueOf(() => ImageName, null);

    [Parameter("Base image, passed as build argument BASE_IMAGE; default the Dockerfile's, else a locally assembled base")]
    string? BaseImage => ValueOf(() => BaseImage, null);

    [Parameter("Extra build arguments as name=value")]
    string[] BuildArgs => ValueOf(() => BuildArgs, []);

    [Parameter("Push the image after building it")]
    bool Push => ValueOf(() => Push, true);

    [Parameter(".NET project published self-contained into <context>/publish for one --service, in place of the service's; empty: no publish step", PerService = true, LocalOnly = true)]
    string? PublishProject => ValueOf(() => PublishProject, null);

    [Parameter("Runtime identifier of the self-contained publish (linux-x64, linux-arm64)")]
    string RuntimeIdentifier => ValueOf(() => RuntimeIdentifier, "linux-x64");

    [Parameter("Dockerfile stage to build (docker build --target); default the last stage", PerService = true)]
    string? DockerTarget => ValueOf(() => DockerTarget, null);

    [Parameter("Platform to build for, os/arch (docker build --platform); default the daemon's")]
    string? DockerPlatform => ValueOf(() => DockerPlatform, null);

    [Parameter("Build without the daemon's cache (docker build --no-cache)")]
    bool NoCache => ValueOf(() => NoCache, false);

    [Parameter("Always try to pull a newer base image (docker build --pull)")]
    bool Pull => ValueOf(() => Pull, false);

    [Parameter("Compression of the pushed layers: gzip (as docker push; every runtime pulls it), zstd (smaller, faster to unpack; "
        + "pulled by containerd >= 1.5, so ACK and current Kubernetes nodes, and Docker >= 23; older runtimes fail to pull), none (uncompressed: most bytes, least CPU, for a loopback registry)")]
    LayerCompression LayerCompression => ValueOf(() => LayerCompression, LayerCompression.Gzip);

    /// <summary>The commit Containerize tags the images with: a folder without one fails, saying to commit first.</summary>
    internal async Task SourceCommitAsync(CancellationToken cancellationToken) =>
        await new SourceRevisionReader(Log).RequireAsync(RootDirectory, ImageBuilder.RevisionPurpose, cancellationToken);

    /// <summary>Each selected service's repository name under the registry (<c>--image-name</c> or the service's) by the OCI grammar.</summary>
    internal Task ImageNamesAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (ImageName is { } given)
        {
            if (ImageReference.RepositoryProblem(given) is { } problem) problems.Add($"--image-name '{given}' is not a repository name: {problem}.");
        }
        else
            foreach (var service in SelectedServices)
                if (ImageReference.RepositoryProblem(service.ImageName) is { } problem)
                    problems.Add($"Service `{service.Name}`: its image name '{service.ImageName}' is not a repository name: {problem}; pass --image-name.");
        return problems.Count > 0 ? throw new PipelineException(string.Join(System.Environment.NewLine, problems)) : Task.CompletedTask;
    }

    /// <summary>Builds and pushes every selected service's image.</summary>
    Target Containerize => _ => _
        .DependsOn(Test)
        // The image is tagged with the commit: a folder with none stops here, before Test runs, not after it.
        .Requires(SourceCommitAsync)
        // A registry or image name the registry would refuse stops here too, with every other problem, before Test.
        .Requires(RegistryNameAsync)
        .Requires(ImageNamesAsync)
        .Description("Publishes each service, builds its image through the Docker API, tags it with the commit/branch/version and pushes it")
        .Produces(ContainerizeOutputs)
        .Inputs(async (inputs, cancellationToken) =>
        {
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            var registry = await RegistryAddressAsync(cancellationToken);
            foreach (var service in SelectedServices)
                await ContainerizeInputs.DeclareAsync(inputs.For(service.Name), ContainerizeOptions(service, registry, null), docker, Log, cancellationToken);
        })
        .CachedWhile(async (run, cancellationToken) =>
        {
            using var registry = CreateRegistryClient();
            foreach (var service in SelectedServices)
                if (await ContainerizeInputs.StillInRegistryAsync(run, ServiceImages.StateKey(service.Name), registry, cancellationToken) is { } reason)
                    return MessageFor(service, reason);
            return null;
        })
        .Executes(async ctx =>
        {
            var registry = await RegistryAddressAsync(ctx.CancellationToken);
            var credentials = await RegistryCredentialAsync(registry, ctx.CancellationToken);
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            using var registryClient = CreateRegistryClient();
            var built = await new ServiceImageBuild(docker, registryClient, ctx.Log).BuildAsync(
                new ServiceImageBuildRequest(RootDirectory, [.. SelectedServices.Select(s => new ServiceImageOptions(s.Name, ContainerizeOptions(s, registry, credentials)))])
                {
                    Unchanged = Services.Count > 1 ? new UnchangedImages(Layout.ImageCacheDirectory, Log) : null,
                    Commit = (await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken))?.Commit,
                },
                ctx.State, ctx.CancellationToken);
            foreach (var (service, image) in SelectedServices.Zip(built.Images))
                ctx.Note(NoteFor("Image", service), image.KeptSince is { } since ? $"{image.Image.Reference} (unchanged since {since})"
                    : image.Image.Digest is null ? image.Image.Url + " (not pushed)" : image.Image.Reference);
            built.Publish(ctx.Publish, single: Services.Count == 1);
        });

    /// <summary>IMAGES (Tekton Chains' list form) always; IMAGE_URL and IMAGE_DIGEST too when the build has one service.</summary>
    internal string[] ContainerizeOutputs => Services.Count == 1
        ? [ServiceImages.ImagesOutput, ImageSelection.ImageUrlOutput, ImageSelection.ImageDigestOutput]
        : [ServiceImages.ImagesOutput];

    /// <summary>The registry to push to; without a push (a pull request's build) no registry is needed: the default name is only a name.</summary>
    internal async Task<string> RegistryAddressAsync(CancellationToken cancellationToken) =>
        Registry ?? (Push
            ? await new LocalRegistryDaemon(Layout.LocalRegistryDirectory, Log).EnsureAsync(cancellationToken: cancellationToken)
            : LocalRegistryDaemon.DefaultAddress);

    /// <summary>A service as this run builds it: its declaration with the one-service overrides applied.</summary>
    internal Service AsBuilt(Service service)
    {
        var built = Context is { Length: > 0 } context ? service.WithContext(context) : service;
        return built with
        {
            Dockerfile = Dockerfile is { Length: > 0 } dockerfile ? dockerfile : built.Dockerfile,
            Project = PublishProject is null ? service.Project : PublishProject.Length > 0 ? PublishProject : null,
        };
    }

    /// <summary>How one service is built: the service's declaration, with the one-service overrides applied.</summary>
    internal ContainerizeOptions ContainerizeOptions(Service declared, string registry, RegistryCredential? credentials)
    {
        var service = AsBuilt(declared);
        return new()
        {
            RootDirectory = RootDirectory,
            Registry = registry,
            ImageName = ImageName ?? declared.ImageName,
            Dockerfile = service.Dockerfile,
            Context = service.Context,
            BaseImage = BaseImage,
            BuildArgs = BuildArguments.Parse(BuildArgs),
            Push = Push,
            Project = service.Project,
            RuntimeIdentifier = RuntimeIdentifier,
            Target = DockerTarget,
            Platform = DockerPlatform,
            NoCache = NoCache,
            Pull = Pull,
            LayerCompression = LayerCompression,
            LayerDigestDirectory = Layout.LayerDigestDirectory,
            Credentials = credentials,
        };
    }
}
