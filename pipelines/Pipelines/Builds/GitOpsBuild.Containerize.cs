using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Workspace;
using Pipelines;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Registry;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("Dockerfile for one --service, in place of the service's")]
    readonly string? Dockerfile;

    [Parameter("Build context folder for one --service, in place of the service's (a .NET project is published into its publish/ folder)")]
    readonly string? Context;

    [Parameter("Repository name of the image under the registry for one --service, in place of the service's name")]
    readonly string? ImageName;

    [Parameter("Registry to push to: host[:port][/namespace]; default a local registry on 127.0.0.1:5000, started when absent")]
    readonly string? Registry;

    [Parameter("Base image, passed as build argument BASE_IMAGE; default the Dockerfile's, else a locally assembled base")]
    readonly string? BaseImage;

    [Parameter("Extra build arguments as name=value")]
    readonly string[] BuildArgs = [];

    [Parameter("Push the image after building it")]
    readonly bool Push = true;

    [Parameter(".NET project published self-contained into <context>/publish for one --service, in place of the service's; empty: no publish step")]
    readonly string? PublishProject;

    [Parameter("Runtime identifier of the self-contained publish (linux-x64, linux-arm64)")]
    readonly string RuntimeIdentifier = "linux-x64";

    [Parameter("Dockerfile stage to build (docker build --target); default the last stage")]
    readonly string? DockerTarget;

    [Parameter("Platform to build for, os/arch (docker build --platform); default the daemon's")]
    readonly string? DockerPlatform;

    [Parameter("Build without the daemon's cache (docker build --no-cache)")]
    readonly bool NoCache;

    [Parameter("Always try to pull a newer base image (docker build --pull)")]
    readonly bool Pull;

    /// <summary>Builds and pushes every selected service's image.</summary>
    public virtual Target Containerize => _ => _
        .DependsOn(Test)
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
            var host = registry.Split('/')[0];
            var credential = await RegistryCredentials().FindAsync(host, ctx.CancellationToken);
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            using var registryClient = CreateRegistryClient();

            // Several services: one whose inputs (commit aside) did not change keeps its image, so a commit to one service
            // does not rebuild, re-sign and restart the others.
            var unchanged = Services.Count > 1
                ? new UnchangedImages(UnchangedImages.DirectoryFor(RootDirectory, System.Environment.GetEnvironmentVariable(TargetCache.DirectoryVariable)), Log)
                : null;
            var commit = (await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken))?.Commit;
            var built = new List<BuiltImage>();
            foreach (var service in SelectedServices)
            {
                var label = NoteFor("Image", service);
                string? key = null;
                if (unchanged is not null)
                {
                    var own = new Fingerprint(RootDirectory);
                    await ContainerizeInputs.DeclareAsync(own, ContainerizeOptions(service, registry, null), docker, Log, ctx.CancellationToken);
                    key = UnchangedImages.KeyOf(own);
                    if (key is not null && await unchanged.FindAsync(service.Name, key, registryClient, ctx.CancellationToken) is { } previous)
                    {
                        ctx.Log.Info($"{service.Name}: nothing it is built from changed since {previous.Tags[0]}; keeping {previous.Reference}.");
                        ServiceImages.Record(ctx.State, service.Name, previous, commit);
                        built.Add(previous);
                        ctx.Note(label, $"{previous.Reference} (unchanged since {previous.Tags[0]})");
                        continue;
                    }
                }
                var image = await new ImageBuilder(docker, Log, registry: registryClient)
                    .BuildAsync(ContainerizeOptions(service, registry, credential), ctx.CancellationToken);
                ServiceImages.Record(ctx.State, service.Name, image, commit);
                if (unchanged is not null && key is not null) unchanged.Save(service.Name, key, image);
                built.Add(image);
                ctx.Note(label, image.Digest is null ? image.Url + " (not pushed)" : image.Reference);
            }
            ServiceImages.Publish(ctx.Publish, built, single: Services.Count == 1);
        });

    /// <summary>IMAGES (Tekton Chains' list form) always; IMAGE_URL and IMAGE_DIGEST too when the build has one service.</summary>
    string[] ContainerizeOutputs => Services.Count == 1
        ? [ServiceImages.ImagesOutput, ImageSelection.ImageUrlOutput, ImageSelection.ImageDigestOutput]
        : [ServiceImages.ImagesOutput];

    /// <summary>The registry to push to; without a push (a pull request's build) no registry is needed: the default name is only a name.</summary>
    async Task<string> RegistryAddressAsync(CancellationToken cancellationToken) =>
        Registry ?? (Push
            ? await new LocalRegistryDaemon(Path.Combine(RootDirectory, ".gitops"), Log).EnsureAsync(cancellationToken: cancellationToken)
            : LocalRegistryDaemon.DefaultAddress);

    /// <summary>How one service is built: the service's declaration, with the one-service overrides applied.</summary>
    ContainerizeOptions ContainerizeOptions(Service declared, string registry, RegistryCredential? credentials) => ContainerizeOptions(AsBuilt(declared), ImageName ?? declared.ImageName, registry, credentials);

    ContainerizeOptions ContainerizeOptions(Service service, string imageName, string registry, RegistryCredential? credentials) => new()
    {
        RootDirectory = RootDirectory,
        Registry = registry,
        ImageName = imageName,
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
        Credentials = credentials,
    };
}
