using Pipelines.Hosts;
using Pipelines.Containers;
using Pipelines.GitHub;
using Pipelines.GitOps;
using Pipelines.Kubernetes;
using Pipelines.Signing;
using Pipelines.Targets;
using Pipelines.Oci;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.Components;

/// <summary>The Deploy stage: every service's signed, scanned digest committed in one commit into the manifests repository Flux watches.</summary>
public interface IDeploy : ISign, IManifests, IKubernetesAccess
{
    [Parameter("Deploy only digests with a passing scan recorded in the state; false skips that check (the signature is always checked)")]
    bool RequireScan => ValueOf(() => RequireScan, true);

    [Parameter("GitHub token for pull-request environments", EnvironmentAlias = "GITHUB_TOKEN"), Secret]
    string? GithubToken => ValueOf(() => GithubToken, null);

    [Parameter("GitHub repository of the manifests for pull requests (owner/name); default from --manifests-repo")]
    string? ManifestsGithubRepository => ValueOf(() => ManifestsGithubRepository, null);

    [Parameter("GitHub API URL (GitHub Enterprise: https://host/api/v3)")]
    string GithubApiUrl => ValueOf(() => GithubApiUrl, GitHubClient.DefaultApiUrl);

    [Parameter("Flux Receiver URL to poke after the push (the webhook-receiver service plus the Receiver's status.webhookPath)")]
    string? FluxReceiverUrl => ValueOf(() => FluxReceiverUrl, null);

    [Parameter("Token of the Flux Receiver's Secret (the HMAC key)"), Secret]
    string? FluxReceiverToken => ValueOf(() => FluxReceiverToken, null);

    [Parameter("Type of the Flux Receiver: generic-hmac or github")]
    FluxReceiverType FluxReceiverType => ValueOf(() => FluxReceiverType, FluxReceiverType.GenericHmac);

    [Parameter("Wait until Flux reports the deploy commit applied and Ready")]
    bool WaitForFlux => ValueOf(() => WaitForFlux, false);

    [Parameter("The Flux Kustomization to wait for: namespace/name")]
    string FluxKustomization => ValueOf(() => FluxKustomization, "flux-system/apps");

    [Parameter("How long to wait for Flux")]
    TimeSpan FluxTimeout => ValueOf(() => FluxTimeout, TimeSpan.FromMinutes(5));

    /// <summary>Commits every selected service's signed, scanned digest in one commit.</summary>
    Target Deploy => _ => _
        .DependsOn(Sign)
        .Requires(DeployConfigurationAsync)
        .Requires(ManifestsFoldersAsync)
        .Description("Commits each service's signed, scanned digest into the manifests repository Flux watches, all in one commit (or one pull request), pokes Flux, can wait for it")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken);
            if (Image is not { Length: > 0 } && source is not null)
                foreach (var warning in ServiceImages.BuiltAtOtherCommits(ctx.State, SelectedServices.Select(s => s.Name), source.Commit)) ctx.Log.Warn(warning);
            var images = SelectedServices.Select(service => (service, ServiceImages.Select(ctx.State, service.Name, Image))).ToList();
            var outcome = await DeployImagesAsync(images, source?.Commit, ctx);
            ctx.Publish("DEPLOY_COMMIT", outcome.Revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });

    /// <summary>
    /// The wiring of a <see cref="Deployment"/> into --environment (or another, for Analyze's promotion): the trusted
    /// key, the manifests repository, a pull request's GitHub client, Flux for --environment's own cluster.
    /// </summary>
    internal async Task<DeployOutcome> DeployImagesAsync(IReadOnlyList<(Service Service, ImageReference Image)> images, string? sourceCommit, TargetContext ctx, string? environment = null)
    {
        environment ??= Environment;
        using var registry = CreateRegistryClient();
        var key = TrustedKey(ctx.State);
        ctx.Log.Info($"Public key: {key.Source}");
        var gate = new DeployGate(new SignatureVerifier(new RegistrySignatureStore(registry)), key, VerificationPolicy.FromNames(RequireAttestations));
        var mode = EnvironmentModes.Parse(Environments)[environment];
        using var github = GithubToken is { Length: > 0 } ? new GitHubClient(GithubToken, GithubApiUrl) : null;
        // The Flux receiver and cluster parameters describe --environment's cluster: a promotion onward (Analyze) does not use them.
        var ownCluster = environment == Environment;
        using var kubernetes = WaitForFlux && ownCluster ? new KubernetesClient(KubeConfig()) : null;
        var result = await new Deployment(ManifestsAsync, gate, ctx.Log).DeployAsync(
            new DeploymentRequest(environment, mode, [.. images.Select(i => (new AppPath(i.Service.Name, PathFor(i.Service, environment)), ManifestsImageOf(i.Service), i.Image))])
            {
                RequireScan = RequireScan,
                MaxScanAge = MaxScanAge,
                SourceCommit = sourceCommit,
                RunId = Host.RunId,
                PullRequests = github is null || mode != DeployMode.PullRequest ? null
                    : new PullRequestSettings(github, GitHubRepository.Parse(ManifestsGithubRepository ?? ManifestsRepo ?? ""), ManifestsBranch),
                Flux = ownCluster ? repository => FluxSettingsFor(kubernetes, repository, ctx) : null,
            },
            ctx.State, ctx.CancellationToken);
        foreach (var ((service, image), clearance) in images.Zip(result.Clearances))
        {
            ctx.Note(NoteFor("Image", service), image.ToString());
            ctx.Note(NoteFor("Signature", service), $"{clearance.Signature} (public key: {key.Source})");
            ctx.Note(NoteFor("Scan", service), clearance.Scan);
        }
        ctx.Note("Manifests", result.Outcome.Describe());
        foreach (var warning in result.Outcome.Warnings) ctx.SummaryWarning(warning);
        return result.Outcome;
    }

    /// <summary>Flux's receiver to poke and, with a cluster to read, the wait until the commit is applied.</summary>
    internal FluxSettings FluxSettingsFor(KubernetesClient? kubernetes, ManifestsRepository repository, TargetContext ctx) => new()
    {
        Receiver = FluxSettings.ReceiverFrom(FluxReceiverUrl, FluxReceiverToken, FluxReceiverType),
        Waiter = kubernetes is null ? null : new FluxWaiter(kubernetes, ctx.Log, (candidate, ours, ct) => repository.IsDescendantAsync(candidate, ours, ct)),
        Kustomization = FluxSettings.ParseKustomization(FluxKustomization),
        Timeout = FluxTimeout,
        Branch = ManifestsBranch,
    };

    /// <summary>
    /// Everything Deploy and Promote need, checked before the first target runs: the environment is configured, the
    /// manifests repository can be read, the key and the Flux settings are usable. Nothing here has a side effect.
    /// </summary>
    internal async Task DeployConfigurationAsync(CancellationToken cancellationToken)
    {
        var mode = EnvironmentModes.Parse(Environments)[Environment];
        if (mode == DeployMode.PullRequest && GithubToken is not { Length: > 0 })
            throw new PipelineException($"Environment {Environment} deploys through a pull request: pass --github-token (and --manifests-github-repository when --manifests-repo is not a GitHub URL).");
        if (mode == DeployMode.PullRequest)
            GitHubRepository.Parse(ManifestsGithubRepository ?? ManifestsRepo ?? "");
        if (PublicKey is { Length: > 0 }) VerificationKey.Load(PublicKey);
        else if (!Host.IsDeveloperMachine) throw TrustedPublicKey.Required();
        FluxSettings.ReceiverFrom(FluxReceiverUrl, FluxReceiverToken, FluxReceiverType);
        FluxSettings.ParseKustomization(FluxKustomization);
        if (WaitForFlux) KubeConfig();
        await ManifestsConfigurationAsync(cancellationToken);
    }
}
