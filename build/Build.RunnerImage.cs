using Pipelines;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Registry;
using Pipelines.Targets;

partial class Build
{
    [Parameter("RunnerImage: build arguments of tekton/runner/Dockerfile as name=value (SDK_IMAGE, NODE_IMAGE, TRIVY_URL, KUBECTL_URL: mirrors such as ACR EE)")]
    readonly string[] RunnerBuildArgs = [];

    [Parameter("RunnerImage: repository name of the Tekton runner image under the registry")]
    readonly string RunnerImageName = "pipeline-runner";

    Target RunnerImage => _ => _
        .Description("Builds tekton/runner/Dockerfile (the image every Tekton step runs in) through the Docker API and pushes it; prints the digest-pinned reference for RunnerImage in build/Build.CI.cs")
        .Produces("RUNNER_IMAGE")
        .Executes(async ctx =>
        {
            // The runner image is for a cluster: it goes to a registry the cluster pulls from, never a local one.
            var registry = Registry ?? throw new PipelineException("RunnerImage pushes to the registry the cluster pulls from: pass --registry (e.g. registry.cn-shanghai.aliyuncs.com/acme).");
            var host = registry.Split('/')[0];
            var credential = await RegistryCredentials().FindAsync(host, ctx.CancellationToken);
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            var built = await new ImageBuilder(docker, Log).BuildAsync(new ContainerizeOptions
            {
                RootDirectory = RootDirectory,
                Registry = registry,
                ImageName = RunnerImageName,
                Dockerfile = "tekton/runner/Dockerfile",
                Context = "tekton/runner",
                Project = null,
                BuildArgs = BuildArguments.Parse(RunnerBuildArgs),
                Push = true,
                Platform = "linux/amd64",
                NoCache = NoCache,
                Pull = Pull,
                Credentials = RegistryAuth.From(credential, host),
            }, ctx.CancellationToken);
            if (built.Digest is null) throw new PipelineException($"The runner image {built.Url} was built but the registry returned no digest; check --registry and its credentials.");
            ctx.Publish("RUNNER_IMAGE", built.Reference);
            ctx.Note("Runner image", built.Reference);
            Log.Info($"Set RunnerImage = \"{built.Reference}\" in build/Build.CI.cs and run ./build.sh Generate.");
        });
}
