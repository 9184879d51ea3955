using Pipelines;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Hosts;
using Pipelines.Registry;
using Pipelines.Targets;

partial class Build
{
    [Parameter("Dockerfile of the service image")]
    readonly string Dockerfile = "samples/shortlink/Dockerfile";

    [Parameter("Build context folder (the service is published into its publish/ folder)")]
    readonly string Context = "samples/shortlink";

    [Parameter("Repository name of the image under the registry")]
    readonly string ImageName = "shortlink";

    [Parameter("Registry to push to: host[:port][/namespace]; default a local registry on 127.0.0.1:5000, started when absent")]
    readonly string? Registry;

    [Parameter("Base image, passed as build argument BASE_IMAGE; default the Dockerfile's, else a locally assembled base")]
    readonly string? BaseImage;

    [Parameter("Extra build arguments as name=value")]
    readonly string[] BuildArgs = [];

    [Parameter("Push the image after building it")]
    readonly bool Push = true;

    [Parameter(".NET project published self-contained into <context>/publish before the build; empty: no publish step")]
    readonly string PublishProject = "samples/shortlink/src/Shortlink";

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

    Target Containerize => _ => _
        .DependsOn(Test)
        .Description("Publishes the service, builds its image through the Docker API, tags it with the commit/branch/version and pushes it")
        .Produces("IMAGE_URL", "IMAGE_DIGEST")
        .Inputs(async (inputs, cancellationToken) =>
        {
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            await ContainerizeInputs.DeclareAsync(inputs, ContainerizeOptions(await RegistryAddressAsync(cancellationToken), null), docker, Log, cancellationToken);
        })
        .CachedWhile(async (run, cancellationToken) =>
        {
            using var registry = CreateRegistryClient();
            return await ContainerizeInputs.StillInRegistryAsync(run, registry, cancellationToken);
        })
        .Executes(async ctx =>
        {
            var registry = await RegistryAddressAsync(ctx.CancellationToken);
            var host = registry.Split('/')[0];
            var credential = await RegistryCredentials().FindAsync(host, ctx.CancellationToken);
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);

            using var registryClient = CreateRegistryClient();
            var built = await new ImageBuilder(docker, Log, registry: registryClient).BuildAsync(ContainerizeOptions(registry, RegistryAuth.From(credential, host)), ctx.CancellationToken);

            ctx.State.SetRecord(BuiltImage.StateKey, built);
            ctx.Publish("IMAGE_URL", built.Url);
            // Not pushed: no digest, and no stale one from an earlier run may pair with this URL.
            ctx.Publish("IMAGE_DIGEST", built.Digest ?? "");
            ctx.Note("Image", built.Digest is null ? built.Url + " (not pushed)" : built.Reference);
        });

    /// <summary>The registry to push to; without a push (a pull request's build) no registry is needed: the default name is only a name.</summary>
    async Task<string> RegistryAddressAsync(CancellationToken cancellationToken) =>
        Registry ?? (Push
            ? await new LocalRegistryDaemon(Path.Combine(RootDirectory, ".gitops"), Log).EnsureAsync(cancellationToken: cancellationToken)
            : LocalRegistryDaemon.DefaultAddress);

    ContainerizeOptions ContainerizeOptions(string registry, RegistryAuth? credentials) => new()
    {
        RootDirectory = RootDirectory,
        Registry = registry,
        ImageName = ImageName,
        Dockerfile = Dockerfile,
        Context = Context,
        BaseImage = BaseImage,
        BuildArgs = BuildArguments.Parse(BuildArgs),
        Push = Push,
        Project = PublishProject is { Length: > 0 } project ? project : null,
        RuntimeIdentifier = RuntimeIdentifier,
        Target = DockerTarget,
        Platform = DockerPlatform,
        NoCache = NoCache,
        Pull = Pull,
        Credentials = credentials,
    };
}
