using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>RunnerImage: the image every Tekton step runs in, built from tekton/runner/Dockerfile and pushed once per toolkit upgrade.</summary>
public interface IRunnerImage : IRegistryAccess
{
    [Parameter("RunnerImage: build arguments of tekton/runner/Dockerfile as name=value (SDK_IMAGE, NODE_IMAGE, DOCKER_CLI_IMAGE, TRIVY_URL, KUBECTL_URL: mirrors such as ACR EE)", LocalOnly = true)]
    string[] RunnerBuildArgs => ValueOf(() => RunnerBuildArgs, []);

    [Parameter("RunnerImage: repository name of the Tekton runner image under the registry", LocalOnly = true)]
    string RunnerImageName => ValueOf(() => RunnerImageName, "pipeline-runner");

    /// <summary>Builds and pushes the Tekton runner image.</summary>
    Target RunnerImage => _ => _
        .Description("Builds tekton/runner/Dockerfile (the image every Tekton step runs in) through the Docker API and pushes it; prints the digest-pinned reference for the build's TektonRunnerImage")
        .Produces("RUNNER_IMAGE")
        // The runner image is for a cluster: it goes to the registry the cluster pulls from, never a local one.
        .Requires(() => Registry)
        .Requires(RegistryNameAsync)
        .Executes(async ctx =>
        {
            if (!File.Exists(Path.Combine(RootDirectory, "tekton", "runner", "Dockerfile")))
                throw new PipelineException($"RunnerImage builds tekton/runner/Dockerfile, which {RootDirectory} does not have: a repository made with dotnet new gitops-pipeline has it; copy it from there (or from the toolkit's repository).");
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            using var registry = CreateRegistryClient();
            // No publish step, no base image or stage of a service: the runner's own Dockerfile, always pushed, for the cluster's nodes.
            var built = await new ImageBuilder(docker, Log, registry: registry).BuildAsync(new ContainerizeOptions
            {
                RootDirectory = RootDirectory,
                Registry = Registry!,
                ImageName = RunnerImageName,
                Dockerfile = "tekton/runner/Dockerfile",
                Context = "tekton/runner",
                BuildArgs = BuildArguments.Parse(RunnerBuildArgs),
                Push = true,
                Platform = "linux/amd64",
                Credentials = await RegistryCredentialAsync(Registry!, ctx.CancellationToken),
                // Containerize's build flags apply to the runner too where the build has them (--no-cache, --pull).
                NoCache = this is IContainerize { NoCache: true },
                Pull = this is IContainerize { Pull: true },
                LayerDigestDirectory = Layout.LayerDigestDirectory,
            }, ctx.CancellationToken);
            if (built.Digest is null) throw new PipelineException($"The runner image {built.Url} was built but the registry returned no digest; check --registry and its credentials.");
            ctx.Publish("RUNNER_IMAGE", built.Reference);
            ctx.Note("Runner image", built.Reference);
            Log.Info($"Return \"{built.Reference}\" from TektonRunnerImage in the build and run ./build.sh Generate.");
        });
}
