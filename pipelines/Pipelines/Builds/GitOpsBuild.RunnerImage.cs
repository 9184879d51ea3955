using Pipelines.Logging;
using Pipelines;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("RunnerImage: build arguments of tekton/runner/Dockerfile as name=value (SDK_IMAGE, NODE_IMAGE, TRIVY_URL, KUBECTL_URL: mirrors such as ACR EE)")]
    readonly string[] RunnerBuildArgs = [];

    [Parameter("RunnerImage: repository name of the Tekton runner image under the registry")]
    readonly string RunnerImageName = "pipeline-runner";

    /// <summary>Builds and pushes the Tekton runner image.</summary>
    public virtual Target RunnerImage => _ => _
        .Description("Builds tekton/runner/Dockerfile (the image every Tekton step runs in) through the Docker API and pushes it; prints the digest-pinned reference for the build's TektonRunnerImage")
        .Produces("RUNNER_IMAGE")
        // The runner image is for a cluster: it goes to the registry the cluster pulls from, never a local one.
        .Requires(() => Registry)
        .Executes(async ctx =>
        {
            var host = Registry!.Split('/')[0];
            var credential = await RegistryCredentials().FindAsync(host, ctx.CancellationToken);
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            using var registryClient = CreateRegistryClient();
            // Containerize's path with the runner's Dockerfile: no publish step, no service base image or stage, always pushed.
            if (!File.Exists(Path.Combine(RootDirectory, "tekton", "runner", "Dockerfile")))
                throw new PipelineException($"RunnerImage builds tekton/runner/Dockerfile, which {RootDirectory} does not have: a repository made with dotnet new gitops-pipeline has it; copy it from there (or from the toolkit's repository).");
            var built = await new ImageBuilder(docker, Log, registry: registryClient).BuildAsync(ContainerizeOptions(Services[0], Registry, credential) with
            {
                ImageName = RunnerImageName,
                Dockerfile = "tekton/runner/Dockerfile",
                Context = "tekton/runner",
                Project = null,
                BaseImage = null,
                Target = null,
                BuildArgs = BuildArguments.Parse(RunnerBuildArgs),
                Push = true,
                Platform = "linux/amd64",
            }, ctx.CancellationToken);
            if (built.Digest is null) throw new PipelineException($"The runner image {built.Url} was built but the registry returned no digest; check --registry and its credentials.");
            ctx.Publish("RUNNER_IMAGE", built.Reference);
            ctx.Note("Runner image", built.Reference);
            Log.Info($"Return \"{built.Reference}\" from TektonRunnerImage in the build and run ./build.sh Generate.");
        });
}
