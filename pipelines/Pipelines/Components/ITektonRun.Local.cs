using Pipelines.Logging;
using Pipelines.Workspace;
using Pipelines.Hosts;
using Pipelines.GitOps;
using Pipelines.Registry;
using Pipelines.Targets;
using Pipelines.TektonLocal;
using Pipelines.Testing;

namespace Pipelines.Components;

public partial interface ITektonRun
{
    [Parameter("TektonRun --local: Pipeline params to set, name=value", LocalOnly = true)]
    string[] TektonParams => ValueOf(() => TektonParams, []);

    [Parameter("TektonRun --local: ConfigMap settings to set, KEY=value (REGISTRY, MANIFESTS_REPO, PUBLIC_KEY default to ./build.sh Deploy's local ones)", LocalOnly = true)]
    string[] TektonSettings => ValueOf(() => TektonSettings, []);

    [Parameter("TektonRun --local: file of secret values for secretKeyRef env (KEY=value lines); default: the environment", LocalOnly = true)]
    string? TektonSecrets => ValueOf(() => TektonSecrets, null);

    [Parameter("TektonRun --local: images to run in place of others, image=local-image (runner: the runner image)", LocalOnly = true)]
    string[] TektonImages => ValueOf(() => TektonImages, []);

    [Parameter("TektonRun --local: host folders mounted read-only into every step at the same path (e.g. a stand-in tool)", LocalOnly = true)]
    string[] TektonHostPaths => ValueOf(() => TektonHostPaths, []);

    [Parameter("TektonRun --local: a YAML file of PipelineRuns/TaskRuns (several separated by ---, as kubectl create -f takes) to run instead of this build's Pipeline; they run one after another in file order, so a run that needs another running at the same time is not supported", LocalOnly = true)]
    string? File => ValueOf(() => File, null);

    [Parameter("TektonRun --local --file: the folder of the Tasks, Pipelines, ConfigMaps and Secrets the run file references (kustomized when it has a kustomization.yaml)", LocalOnly = true)]
    string? TektonResources => ValueOf(() => TektonResources, null);

    /// <summary>
    /// The PipelineRuns and TaskRuns in --file, as a cluster would run them after <c>kubectl create -f</c>: no git server,
    /// registry or key of this build; images run as named (present here, or pulled, or given with --tekton-images).
    /// They run one after another in file order; a run that needs another running at the same time is not supported.
    /// </summary>
    internal async Task TektonRunFileAsync(string file, TargetContext ctx)
    {
        var runs = await new LocalPipelineRunner(Log).RunAllAsync(
            new LocalPipelineRunOptions(Path.Combine(RootDirectory, "tekton"), new Dictionary<string, string>())
            {
                RunFile = Path.GetFullPath(file),
                ResourcesFolder = TektonResources is { } folder ? Path.GetFullPath(folder) : null,
                Overrides = LocalRunInputs.ParsePairs(TektonParams, "--tekton-params"),
                ImageSubstitutes = LocalRunInputs.ParsePairs(TektonImages, "--tekton-images"),
                HostPaths = LocalRunInputs.ExistingFolders(TektonHostPaths, "--tekton-host-paths"),
                SecretsFile = TektonSecrets,
                // The file's timeouts.pipeline (else Tekton's 1h) unless --tekton-timeout is given.
                Timeout = IsGiven(nameof(TektonTimeout)) ? TektonTimeout : null,
            },
            ctx.CancellationToken);
        foreach (var run in runs) ctx.Note("Run", $"{run.Name} (local): {run.Reason}");
        var failed = runs.Where(r => !r.Succeeded).ToList();
        if (failed.Count == 1 && runs.Count == 1) throw new PipelineException($"{failed[0].Name} {failed[0].Reason}: {failed[0].Message}");
        if (failed.Count > 0)
            throw new PipelineException($"{failed.Count} of {runs.Count} runs did not succeed: {string.Join("; ", failed.Select(r => $"{r.Name} {r.Reason}: {r.Message}"))}");
    }

    /// <summary>../shared seen from the source workspace's default path, /workspace/source.</summary>
    private const string SharedInPod = "/workspace/shared";

    /// <summary>The TriggerTemplate's params plus ./build.sh Deploy's local defaults: local registry, local manifests repository, development key.</summary>
    internal async Task TektonRunLocalAsync(string commit, TektonPipelineChoice chosen, TargetContext ctx)
    {
        var overrides = LocalRunInputs.ParsePairs(TektonParams, "--tekton-params");
        var images = LocalRunInputs.ParsePairs(TektonImages, "--tekton-images");
        var manifests = ManifestsRepo is { Length: > 0 } given ? given
            : await new LocalManifestsRepository(Log).EnsureAsync(Layout.ManifestsRepository, Path.Combine(RootDirectory, "manifests"), ManifestsBranch, ctx.CancellationToken);
        var registry = Registry ?? await new LocalRegistryDaemon(Layout.LocalRegistryDirectory, Log).EnsureAsync(cancellationToken: ctx.CancellationToken);
        var key = await new LocalRunInputs(Log).DevelopmentKeyAsync(Layout.KeysDirectory, SigningPassword(), ctx.CancellationToken);
        var repository = await LocalGitServer.RepositoryOfAsync(RootDirectory, ctx.CancellationToken);
        await using var git = await LocalGitServer.StartAsync(Directory.Exists(manifests) ? [repository, manifests] : [repository], Log, ctx.CancellationToken);

        // The ConfigMap the cluster reads, set as ./build.sh Deploy's local defaults (keys as the generator names them).
        var parameters = ParameterDescriptor.Discover(GetType()).ToDictionary(p => p.MemberName, p => p.EnvironmentName);
        var settings = new Dictionary<string, string>
        {
            [parameters[nameof(Registry)]] = registry,
            [parameters[nameof(ManifestsRepo)]] = Directory.Exists(manifests) ? git.Url(manifests) : manifests,
            [parameters[nameof(PublicKey)]] = key.PublicKeyPem,
            // The one repository the Pipelines clone: the manual ones take it from here only.
            [Generators.TektonGenerator.RepositoryUrlKey] = git.Url(repository),
        };
        foreach (var (name, value) in LocalRunInputs.ParsePairs(TektonSettings, "--tekton-settings")) settings[name] = value;

        var hostFolders = new Dictionary<string, string>();
        // The test data a developer and a CI run have beside the project (../shared, or PIPELINE_SHARED_DIR, as the
        // tests look for it) sits beside the source workspace too, so the Test Task's tests find it at ../shared.
        var shared = TestPrerequisites.SharedFolder(RootDirectory);
        if (Directory.Exists(shared))
        {
            hostFolders[SharedInPod] = Path.GetFullPath(shared);
            Log.Info($"Test data beside the checkout ({Path.GetFullPath(shared)}) is copied read-only to {SharedInPod}, beside the source workspace, as every CI run has ../shared.");
        }

        var environment = LocalSecrets.ProcessEnvironment().ToDictionary();
        environment.TryAdd(parameters[nameof(SigningKey)], key.PrivateKeyPem);
        environment.TryAdd(parameters[nameof(SigningKeyPassword)], SigningPassword());
        Host.AddSecret(key.PrivateKeyPem);
        var run = await new LocalPipelineRunner(Log).RunAsync(
            new LocalPipelineRunOptions(Path.Combine(RootDirectory, "tekton"), new Dictionary<string, string>(chosen.Parameters)
            {
                ["git-url"] = git.Url(repository),
                ["git-revision"] = commit,
                // A manual Pipeline posts no commit status and declares no such param: the runner passes only declared ones.
                ["github-repository"] = TektonStatusRepository ?? "",
            })
            {
                PipelineName = chosen.Name,
                Overrides = overrides,
                Settings = settings,
                ImageSubstitutes = images,
                // The real runner installs the validators; one assembled from this host gets the ones ./build.sh Test uses here.
                RunnerValidators = cancellationToken => new TestPrerequisites(Log).ValidatorsFolderAsync(RootDirectory, cancellationToken),
                HostPaths = LocalRunInputs.ExistingFolders(TektonHostPaths, "--tekton-host-paths"),
                HostFolders = hostFolders,
                SecretsFile = TektonSecrets,
                Environment = environment,
                Timeout = TektonTimeout,
            },
            ctx.CancellationToken);
        ctx.Note("PipelineRun", $"{run.Name} (local): {run.Reason}");
        if (!run.Succeeded) throw new PipelineException($"PipelineRun {run.Name} {run.Reason}: {run.Message}");
    }
}
