using Pipelines.Hosts;
using Pipelines.Workspace;
using Pipelines;
using Pipelines.Registry;
using Pipelines.GitOps;
using Pipelines.Kubernetes;
using Pipelines.Targets;
using Pipelines.TektonLocal;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("TektonRun: the repository the cluster clones; default this checkout's origin remote")]
    readonly string? TektonGitUrl;

    [Parameter("TektonRun: owner/name on GitHub for the run's commit status; empty: no status")]
    readonly string? TektonStatusRepository;

    [Parameter("TektonRun: how long the PipelineRun may take before it is cancelled")]
    readonly TimeSpan TektonTimeout = TimeSpan.FromHours(1);

    [Parameter("TektonRun: run the generated Pipeline on the local Docker engine instead of a cluster")]
    readonly bool Local;

    [Parameter("TektonRun --local: Pipeline params to set, name=value")]
    readonly string[] TektonParams = [];

    [Parameter("TektonRun --local: ConfigMap settings to set, KEY=value (REGISTRY, MANIFESTS_REPO, PUBLIC_KEY default to ./build.sh Deploy's local ones)")]
    readonly string[] TektonSettings = [];

    [Parameter("TektonRun --local: file of secret values for secretKeyRef env (KEY=value lines); default: the environment")]
    readonly string? TektonSecrets;

    [Parameter("TektonRun --local: images to run in place of others, image=local-image (runner: the runner image)")]
    readonly string[] TektonImages = [];

    [Parameter("TektonRun --local: host folders mounted read-only into every step at the same path (e.g. a stand-in tool)")]
    readonly string[] TektonHostPaths = [];

    /// <summary>Runs the generated Tekton Pipeline on a cluster or the local Docker engine.</summary>
    public virtual Target TektonRun => _ => _
        .Description("Runs the generated Tekton Pipeline for the current commit in the kubeconfig's cluster (or with --local on the local Docker engine) and follows it to the end")
        .Executes(async ctx =>
        {
            var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken)
                ?? throw new PipelineException("TektonRun needs a git checkout with a commit: the cluster builds a commit, not a working tree.");
            if (Local)
            {
                await TektonRunLocalAsync(source.Commit, ctx);
                return;
            }
            using var kubernetes = new KubernetesClient(KubeConfig.Resolve(Kubeconfig, KubeContext, PipelineHost.CurrentEnvironment()));
            var ci = Ci;
            var tekton = ci.Tekton ?? throw new PipelineException("TektonRun runs the generated Tekton Pipeline, but the build's Ci configuration has no Tekton section.");
            var result = await new TektonRunner(kubernetes, ctx.Log).RunAsync(
                new TektonRunOptions(tekton.Namespace, ci.Name, new Dictionary<string, string>
                {
                    ["git-url"] = TektonRunner.CloneUrl(TektonGitUrl ?? source.Uri),
                    ["git-revision"] = source.Commit,
                    ["github-repository"] = TektonStatusRepository ?? "",
                    // The same helper images a push passes (the ConfigMap carries the settings every Task reads).
                    ["dind-image"] = tekton.DindImage,
                    ["curl-image"] = tekton.CurlImage,
                })
                {
                    // As the TriggerTemplate's PipelineRun: the runner's group on the fresh disk, its class and size, the caches.
                    ServiceAccount = $"{ci.Name}-runner",
                    WorkspaceSize = tekton.WorkspaceSize,
                    StorageClass = tekton.StorageClass,
                    FsGroup = tekton.RunnerUserId,
                    Caches = tekton.Caches.ToDictionary(c => c.Name, c => $"{ci.Name}-{c.Name}"),
                    Timeout = TektonTimeout,
                },
                ctx.CancellationToken);
            ctx.Note("PipelineRun", $"{tekton.Namespace}/{result.Name}: {result.Reason}");
        });

    /// <summary>The TriggerTemplate's params plus ./build.sh Deploy's local defaults: local registry, local manifests repository, development key.</summary>
    async Task TektonRunLocalAsync(string commit, TargetContext ctx)
    {
        var overrides = LocalRunInputs.ParsePairs(TektonParams, "--tekton-params");
        var images = LocalRunInputs.ParsePairs(TektonImages, "--tekton-images");
        var gitops = Path.Combine(RootDirectory, ".gitops");
        var manifests = ManifestsRepo is { Length: > 0 } given ? given
            : await new LocalManifestsRepository(Log).EnsureAsync(Path.Combine(gitops, "manifests.git"), Path.Combine(RootDirectory, "manifests"), ManifestsBranch, ctx.CancellationToken);
        var registry = Registry ?? await new LocalRegistryDaemon(gitops, Log).EnsureAsync(cancellationToken: ctx.CancellationToken);
        var key = await new LocalRunInputs(Log).DevelopmentKeyAsync(Path.Combine(gitops, "keys"), SigningPassword(), ctx.CancellationToken);
        var repository = await LocalGitServer.RepositoryOfAsync(RootDirectory, ctx.CancellationToken);
        await using var git = await LocalGitServer.StartAsync(Directory.Exists(manifests) ? [repository, manifests] : [repository], Log, ctx.CancellationToken);

        // The ConfigMap the cluster reads, set as ./build.sh Deploy's local defaults (keys as the generator names them).
        var parameters = ParameterDescriptor.Discover(GetType()).ToDictionary(p => p.MemberName, p => p.EnvironmentName);
        var settings = new Dictionary<string, string>
        {
            [parameters[nameof(Registry)]] = registry,
            [parameters[nameof(ManifestsRepo)]] = Directory.Exists(manifests) ? git.Url(manifests) : manifests,
            [parameters[nameof(PublicKey)]] = key.PublicKeyPem,
        };
        foreach (var (name, value) in LocalRunInputs.ParsePairs(TektonSettings, "--tekton-settings")) settings[name] = value;

        var environment = LocalSecrets.ProcessEnvironment().ToDictionary();
        environment.TryAdd(parameters[nameof(SigningKey)], key.PrivateKeyPem);
        environment.TryAdd(parameters[nameof(SigningKeyPassword)], SigningPassword());
        Host.AddSecret(key.PrivateKeyPem);
        var run = await new LocalPipelineRunner(Log).RunAsync(
            new LocalPipelineRunOptions(Path.Combine(RootDirectory, "tekton"), new Dictionary<string, string>
            {
                ["git-url"] = git.Url(repository),
                ["git-revision"] = commit,
                ["github-repository"] = TektonStatusRepository ?? "",
            })
            {
                Overrides = overrides,
                Settings = settings,
                ImageSubstitutes = images,
                HostPaths = LocalRunInputs.ExistingFolders(TektonHostPaths, "--tekton-host-paths"),
                SecretsFile = TektonSecrets,
                Environment = environment,
                Timeout = TektonTimeout,
            },
            ctx.CancellationToken);
        ctx.Note("PipelineRun", $"{run.Name} (local): {run.Reason}");
        if (!run.Succeeded) throw new PipelineException($"PipelineRun {run.Name} {run.Reason}: {run.Message}");
    }
}
