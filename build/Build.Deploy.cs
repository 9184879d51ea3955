using Pipelines;
using Pipelines.Containers;
using Pipelines.GitHub;
using Pipelines.GitOps;
using Pipelines.Hosts;
using Pipelines.Kubernetes;
using Pipelines.Scanning;
using Pipelines.Signing;
using Pipelines.Targets;

partial class Build
{
    [Parameter("Environment Deploy, Rollback and --to of Promote act on")]
    readonly string Environment = "dev";

    [Parameter("Environments and how each is deployed: name=direct (push to the branch) or name=pull-request")]
    readonly string[] Environments = ["dev=direct", "staging=direct", "prod=pull-request"];

    [Parameter("Application name in the manifests repository (apps/<app>/…) and in deploy commits")]
    readonly string App = "shortlink";

    [Parameter("Manifests repository Flux watches: a URL or a path; default a bare repository in .gitops/manifests.git seeded from manifests/")]
    readonly string? ManifestsRepo;

    [Parameter("Branch of the manifests repository Flux watches")]
    readonly string ManifestsBranch = "main";

    [Parameter("Folder Deploy edits in the manifests repository; default apps/<app>/overlays/<environment>")]
    readonly string? ManifestsPath;

    [Parameter("Image name the manifests use for the app (the kustomize images: name); the template's placeholder by default")]
    readonly string ManifestsImage = "registry.cn-shanghai.aliyuncs.com/example/shortlink";

    [Parameter("Flux image policies (namespace:name) whose # {\"$imagepolicy\": …} markers Deploy sets; default flux-system:<app>")]
    readonly string[] ImagePolicies = [];

    [Parameter("Token for an HTTPS manifests repository (sent as a header through the environment, never in the URL)"), Secret]
    readonly string? GitToken;

    [Parameter("Author and committer of deploy commits: Name <email>")]
    readonly string GitAuthor = "gitops-pipeline <gitops-pipeline@users.noreply.local>";

    [Parameter("Deploy only digests with a passing scan recorded in the state; false skips that check (the signature is always checked)")]
    readonly bool RequireScan = true;

    [Parameter("How old a signed scan attestation may be when the state has no scan of the digest (a promotion)")]
    readonly TimeSpan MaxScanAge = DeployGate.DefaultMaxScanAge;

    [Parameter("GitHub token for pull-request environments", EnvironmentAlias = "GITHUB_TOKEN"), Secret]
    readonly string? GithubToken;

    [Parameter("GitHub repository of the manifests for pull requests (owner/name); default from --manifests-repo")]
    readonly string? ManifestsGithubRepository;

    [Parameter("GitHub API URL (GitHub Enterprise: https://host/api/v3)")]
    readonly string GithubApiUrl = GitHubClient.DefaultApiUrl;

    [Parameter("Flux Receiver URL to poke after the push (the webhook-receiver service plus the Receiver's status.webhookPath)")]
    readonly string? FluxReceiverUrl;

    [Parameter("Token of the Flux Receiver's Secret (the HMAC key)"), Secret]
    readonly string? FluxReceiverToken;

    [Parameter("Type of the Flux Receiver: generic-hmac or github")]
    readonly FluxReceiverType FluxReceiverType = FluxReceiverType.GenericHmac;

    [Parameter("Wait until Flux reports the deploy commit applied and Ready")]
    readonly bool WaitForFlux;

    [Parameter("The Flux Kustomization to wait for: namespace/name")]
    readonly string FluxKustomization = "flux-system/apps";

    [Parameter("How long to wait for Flux")]
    readonly TimeSpan FluxTimeout = TimeSpan.FromMinutes(5);

    [Parameter("kubeconfig for --wait-for-flux and TektonRun; default KUBECONFIG, ~/.kube/config, or the pod's service account", EnvironmentAlias = "KUBECONFIG")]
    readonly string? Kubeconfig;

    [Parameter("kubeconfig context; default its current-context")]
    readonly string? KubeContext;

    [Parameter("Promote: the environment whose deployed digest is promoted to --environment")]
    readonly string? From;

    Target Deploy => _ => _
        .DependsOn(Sign)
        .Requires(DeployConfigurationAsync)
        .Description("Commits the signed, scanned digest into the manifests repository Flux watches (or opens a pull request), pokes Flux, can wait for it")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var image = ImageSelection.Select(Image, ctx.State);
            var outcome = await DeployImageAsync(image, ctx);
            ctx.Publish("DEPLOY_COMMIT", outcome.Revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });

    Target Promote => _ => _
        .Requires(() => From)
        .Requires(DeployConfigurationAsync)
        .Description("Deploys the digest running in --from to --environment, through the same signature and scan policy")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var repository = await ManifestsAsync(ctx.CancellationToken);
            var deployed = await repository.ReadDeployedAsync(PathFor(From!), ManifestsImage, ctx.CancellationToken);
            var image = ImageReference.Parse(deployed.Reference);
            ctx.Log.Info($"{From} runs {image}.");
            var outcome = await DeployImageAsync(image, ctx);
            ctx.Publish("DEPLOY_COMMIT", outcome.Revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });

    Target Rollback => _ => _
        .Requires(ManifestsConfigurationAsync)
        .Description("Reverts the last deploy of --app to --environment with a new commit (no history rewrite)")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var repository = await ManifestsAsync(ctx.CancellationToken);
            var revision = await repository.RollbackAsync(new RollbackRequest(Environment, App, PathFor(Environment), Host.RunId), ctx.CancellationToken);
            ctx.Note("Rollback", revision.Describe());
            ctx.Publish("DEPLOY_COMMIT", revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });

    /// <summary>Gate, commit, pull request, Flux: the steps Deploy and Promote share.</summary>
    async Task<DeployOutcome> DeployImageAsync(ImageReference image, TargetContext ctx, string? environment = null)
    {
        environment ??= Environment;
        var mode = EnvironmentModes.Parse(Environments)[environment];
        using var registry = CreateRegistryClient();
        var key = TrustedKey(ctx.State);
        ctx.Log.Info($"Public key: {key.Source}");
        var clearance = await new DeployGate(new SignatureVerifier(new RegistrySignatureStore(registry)), key, VerificationPolicy.FromNames(RequireAttestations))
            .CheckAsync(image, ScanVerdicts.ForDeploy(ctx.State, image.Digest), RequireScan, ctx.CancellationToken, MaxScanAge);

        var repository = await ManifestsAsync(ctx.CancellationToken);
        var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken);
        var request = new DeployRequest(environment, App, PathFor(environment),
            new ImageUpdate(ManifestsImage, image.FamiliarName, image.Tag, image.Digest), source?.Commit, Host.RunId);

        using var github = GithubToken is { Length: > 0 } ? new GitHubClient(GithubToken, GithubApiUrl) : null;
        var pullRequests = github is null || mode != DeployMode.PullRequest ? null
            : new PullRequestSettings(github, Pipelines.GitHub.GitHubRepository.Parse(ManifestsGithubRepository ?? ManifestsRepo ?? ""), ManifestsBranch);
        // The Flux receiver and cluster parameters describe --environment's cluster: a promotion onward (Analyze) does not use them.
        var ownCluster = environment == Environment;
        using var kubernetes = WaitForFlux && ownCluster ? new KubernetesClient(KubeConfig.Resolve(Kubeconfig, KubeContext, PipelineHost.CurrentEnvironment())) : null;
        var flux = new FluxSettings
        {
            Receiver = FluxSettings.ReceiverFrom(FluxReceiverUrl, FluxReceiverToken, FluxReceiverType),
            Waiter = kubernetes is null ? null : new FluxWaiter(kubernetes, ctx.Log, (candidate, ours, ct) => repository.IsDescendantAsync(candidate, ours, ct)),
            Kustomization = FluxSettings.ParseKustomization(FluxKustomization),
            Timeout = FluxTimeout,
            Branch = ManifestsBranch,
        };

        var outcome = await new GitOpsDeployer(repository, ctx.Log).DeployAsync(request, mode, clearance, pullRequests, ownCluster ? flux : null, ctx.CancellationToken);
        ctx.Note("Image", image.ToString());
        ctx.Note("Signature", $"{clearance.Signature} (public key: {key.Source})");
        ctx.Note("Scan", clearance.Scan);
        ctx.Note("Manifests", outcome.Describe());
        return outcome;
    }

    /// <summary>
    /// Everything Deploy and Promote need, checked before the first target runs: the environment is configured, the
    /// manifests repository can be read, the key and the Flux settings are usable. Nothing here has a side effect.
    /// </summary>
    async Task DeployConfigurationAsync(CancellationToken cancellationToken)
    {
        var mode = EnvironmentModes.Parse(Environments)[Environment];
        if (mode == DeployMode.PullRequest && GithubToken is not { Length: > 0 })
            throw new PipelineException($"Environment {Environment} deploys through a pull request: pass --github-token (and --manifests-github-repository when --manifests-repo is not a GitHub URL).");
        if (mode == DeployMode.PullRequest)
            Pipelines.GitHub.GitHubRepository.Parse(ManifestsGithubRepository ?? ManifestsRepo ?? "");
        if (PublicKey is { Length: > 0 }) VerificationKey.Load(PublicKey);
        else if (!Host.IsDeveloperMachine) throw TrustedPublicKey.Required();
        FluxSettings.ReceiverFrom(FluxReceiverUrl, FluxReceiverToken, FluxReceiverType);
        FluxSettings.ParseKustomization(FluxKustomization);
        if (WaitForFlux) KubeConfig.Resolve(Kubeconfig, KubeContext, PipelineHost.CurrentEnvironment());
        await ManifestsConfigurationAsync(cancellationToken);
    }

    /// <summary>The manifests repository and the deploy identity: given ones must exist; the local default is made on first use.</summary>
    async Task ManifestsConfigurationAsync(CancellationToken cancellationToken)
    {
        var identity = GitIdentity.Parse(GitAuthor);
        foreach (var policy in SetterOptions().ImagePolicies)
            if (policy.Split(':') is not [{ Length: > 0 }, { Length: > 0 }])
                throw new PipelineException($"--image-policies '{policy}' is not namespace:name (e.g. flux-system:{App}), as the $imagepolicy marker names it.");
        if (ManifestsRepo is { Length: > 0 } given)
            await new ManifestsRepository(new ManifestsRepositoryOptions(given, ManifestsBranch, GitToken, identity), new ImageSetter(SetterOptions(), Log), Log)
                .EnsureReadableAsync(cancellationToken);
    }

    async Task<ManifestsRepository> ManifestsAsync(CancellationToken cancellationToken)
    {
        var url = ManifestsRepo is { Length: > 0 } given
            ? given
            : await new LocalManifestsRepository(Log).EnsureAsync(Path.Combine(RootDirectory, ".gitops", "manifests.git"), Path.Combine(RootDirectory, "manifests"), ManifestsBranch, cancellationToken);
        return new ManifestsRepository(new ManifestsRepositoryOptions(url, ManifestsBranch, GitToken, GitIdentity.Parse(GitAuthor)), new ImageSetter(SetterOptions(), Log), Log);
    }

    /// <summary>The image setter's options: Helm values at image, and the Flux policies that stand for the app.</summary>
    ImageSetterOptions SetterOptions() =>
        ImageSetterOptions.Default with { ImagePolicies = ImagePolicies.Length > 0 ? ImagePolicies : [$"flux-system:{App}"] };

    string PathFor(string environment) => ManifestsPath ?? DeployRequest.DefaultPath(App, environment);
}
