using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Workspace;
using Pipelines;
using Pipelines.Containers;
using Pipelines.GitHub;
using Pipelines.GitOps;
using Pipelines.Hosts;
using Pipelines.Kubernetes;
using Pipelines.Scanning;
using Pipelines.Signing;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("Environment Deploy, Rollback and --to of Promote act on")]
    readonly string Environment = "dev";

    [Parameter("Environments and how each is deployed: name=direct (push to the branch) or name=pull-request")]
    readonly string[] Environments = ["dev=direct", "staging=direct", "prod=pull-request"];

    [Parameter("Manifests repository Flux watches: a URL or a path; default a bare repository in .gitops/manifests.git seeded from manifests/")]
    readonly string? ManifestsRepo;

    [Parameter("Branch of the manifests repository Flux watches")]
    readonly string ManifestsBranch = "main";

    [Parameter("Folder Deploy edits in the manifests repository for one --service; default apps/<service>/overlays/<environment>")]
    readonly string? ManifestsPath;

    [Parameter("Image name the manifests use (the kustomize images: name) for one --service, in place of the service's ManifestsImage")]
    readonly string? ManifestsImage;

    [Parameter("Flux image policies (namespace:name) whose # {\"$imagepolicy\": …} markers Deploy sets; default flux-system:<service> for each service")]
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

    /// <summary>Commits every selected service's signed, scanned digest in one commit.</summary>
    public virtual Target Deploy => _ => _
        .DependsOn(Sign)
        .Requires(DeployConfigurationAsync)
        .Description("Commits each service's signed, scanned digest into the manifests repository Flux watches, all in one commit (or one pull request), pokes Flux, can wait for it")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var images = SelectedServices.Select(service => (service, ServiceImages.Select(ctx.State, service.Name, Image))).ToList();
            // HEAD read once: the stale-image warning and the deploy commit name the same commit.
            var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken);
            WarnAboutImagesOfOtherCommits(SelectedServices, source, ctx);
            var outcome = await DeployImagesAsync(images, ctx, source);
            ctx.Publish("DEPLOY_COMMIT", outcome.Revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });

    /// <summary>Deploys what runs in another environment.</summary>
    public virtual Target Promote => _ => _
        .Requires(() => From)
        .Requires(DeployConfigurationAsync)
        .Description("Deploys the digests each service runs in --from to --environment, through the same signature and scan policy, in one commit")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var repository = await ManifestsAsync(ctx.CancellationToken);
            // Every service's running digest, read from one clone of the manifests.
            var deployed = await repository.ReadDeployedAsync(SelectedServices.Select(s => (PathFor(s, From!), ManifestsImageOf(s))).ToList(), ctx.CancellationToken);
            var images = SelectedServices.Zip(deployed, (service, update) => (service, ImageReference.Parse(update.Reference))).ToList();
            foreach (var (service, image) in images) ctx.Log.Info($"{From} runs {image}{(images.Count == 1 ? "" : $" ({service.Name})")}.");
            var outcome = await DeployImagesAsync(images, ctx);
            ctx.Publish("DEPLOY_COMMIT", outcome.Revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });

    /// <summary>Reverts the last deploy.</summary>
    public virtual Target Rollback => _ => _
        .Requires(ManifestsConfigurationAsync)
        .Description("Reverts the last deploy of the services to --environment with a new commit (no history rewrite); a deploy of several services is reverted whole")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var repository = await ManifestsAsync(ctx.CancellationToken);
            var revision = await repository.RollbackAsync(RollbackRequestFor(Environment), ctx.CancellationToken);
            ctx.Note("Rollback", revision.Describe());
            ctx.Publish("DEPLOY_COMMIT", revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });

    /// <summary>The rollback of the selected services in an environment.</summary>
    RollbackRequest RollbackRequestFor(string environment) =>
        RollbackRequest.ForApps(environment, SelectedServices.Select(s => new AppPath(s.Name, PathFor(s, environment))).ToList(), Host.RunId);

    /// <summary>
    /// Gate, commit, pull request, Flux: the steps Deploy, Promote and Analyze's promotion share. Every image is checked
    /// (signature, scan) before anything is written; then one commit sets them all.
    /// </summary>
    async Task<DeployOutcome> DeployImagesAsync(IReadOnlyList<(Service Service, ImageReference Image)> images, TargetContext ctx, string? environment = null) =>
        await DeployImagesAsync(images, ctx, await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken), environment);

    /// <param name="source">HEAD of this repository as the caller read it (null outside git): the deploy commit names it.</param>
    async Task<DeployOutcome> DeployImagesAsync(IReadOnlyList<(Service Service, ImageReference Image)> images, TargetContext ctx, SourceRevision? source, string? environment = null)
    {
        environment ??= Environment;
        var mode = EnvironmentModes.Parse(Environments)[environment];
        using var registry = CreateRegistryClient();
        var key = TrustedKey(ctx.State);
        ctx.Log.Info($"Public key: {key.Source}");
        var gate = new DeployGate(new SignatureVerifier(new RegistrySignatureStore(registry)), key, VerificationPolicy.FromNames(RequireAttestations));
        var clearances = new List<DeployClearance>();
        foreach (var (service, image) in images)
        {
            try
            {
                clearances.Add(await gate.CheckAsync(image, ScanVerdicts.ForDeploy(ctx.State, image.Digest), RequireScan, ctx.CancellationToken, MaxScanAge));
            }
            catch (PipelineException e) when (images.Count > 1)
            {
                throw new PipelineException($"{service.Name}: {e.Message} Nothing was deployed" +
                    (e.Message.Contains("--image", StringComparison.Ordinal) ? $"; the commands above act on {service.Name} alone with --service {service.Name}." : "."), e);
            }
        }

        var repository = await ManifestsAsync(ctx.CancellationToken);
        var request = DeployRequest.ForApps(environment,
            images.Select(i => new AppImage(i.Service.Name, PathFor(i.Service, environment),
                new ImageUpdate(ManifestsImageOf(i.Service), i.Image.FamiliarName, i.Image.Tag, i.Image.Digest))).ToList(),
            source?.Commit, Host.RunId);

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

        var outcome = await new GitOpsDeployer(repository, ctx.Log).DeployAsync(request, mode, clearances, pullRequests, ownCluster ? flux : null, ctx.CancellationToken);
        foreach (var ((service, image), clearance) in images.Zip(clearances))
        {
            ctx.Note(NoteFor("Image", service), image.ToString());
            ctx.Note(NoteFor("Signature", service), $"{clearance.Signature} (public key: {key.Source})");
            ctx.Note(NoteFor("Scan", service), clearance.Scan);
        }
        ctx.Note("Manifests", outcome.Describe());
        return outcome;
    }

    /// <summary>
    /// Names the services whose recorded image was built from another commit than the one checked out (Containerize
    /// skipped or run for other services): Deploy commits what is recorded, which may be older than what runs.
    /// </summary>
    void WarnAboutImagesOfOtherCommits(IReadOnlyList<Service> services, SourceRevision? source, TargetContext ctx)
    {
        if (Image is { Length: > 0 } || source is null) return;
        foreach (var service in services)
            if (ctx.State.GetRecord<BuiltImage>(ServiceImages.StateKey(service.Name)) is { } built
                && ServiceImages.RecordedCommit(ctx.State, service.Name) is { } recorded && recorded != source.Commit)
                ctx.Log.Warn($"{service.Name}: the recorded image {built.Reference} was recorded by Containerize at commit {recorded[..Math.Min(12, recorded.Length)]}, not {source.Commit[..Math.Min(12, source.Commit.Length)]}; " +
                             $"Deploy commits it as recorded. Run Containerize for it, or leave it out with --service.");
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
                throw new PipelineException($"--image-policies '{policy}' is not namespace:name (e.g. flux-system:{Services[0].Name}), as the $imagepolicy marker names it.");
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

    /// <summary>The image setter's options: Helm values at image, and the Flux policies that stand for the services.</summary>
    ImageSetterOptions SetterOptions() =>
        ImageSetterOptions.Default with { ImagePolicies = ImagePolicies.Length > 0 ? ImagePolicies : [.. SelectedServices.Select(s => $"flux-system:{s.Name}")] };

    /// <summary>A service's folder for an environment in the manifests repository.</summary>
    string PathFor(Service service, string environment) => ManifestsPath is { Length: > 0 } given ? given : DeployRequest.DefaultPath(service.Name, environment);

    /// <summary>How the manifests name a service's image.</summary>
    string ManifestsImageOf(Service service) => ManifestsImage is { Length: > 0 } given ? given : service.ManifestsImageName;
}
