using Pipelines;
using Pipelines.Analysis;
using Pipelines.Containers;
using Pipelines.GitOps;
using Pipelines.Kubernetes;
using Pipelines.Targets;

partial class Build
{
    [Parameter("Prometheus HTTP API root for Analyze (e.g. http://prometheus.monitoring:9090, or the ARMS HTTP API URL)")]
    readonly string? PrometheusUrl;

    [Parameter("Bearer token for --prometheus-url (a proxy, ARMS V1's token)"), Secret]
    readonly string? PrometheusToken;

    [Parameter("Basic-auth user for --prometheus-url (ARMS V2: the AccessKey ID)")]
    readonly string? PrometheusUsername;

    [Parameter("Basic-auth password for --prometheus-url (ARMS V2: the AccessKey secret)"), Secret]
    readonly string? PrometheusPassword;

    [Parameter("Objectives file for Analyze; default apps/<app>/objectives.yaml in the manifests repository")]
    readonly string? Objectives;

    [Parameter("Analyze: on a pass, promote the analysed digest to the next environment of --environments")]
    readonly bool PromoteOnSuccess;

    [Parameter("Analyze: also roll back when the analysis is inconclusive (no data, Prometheus unreachable)")]
    readonly bool RollbackOnInconclusive;

    [Parameter("Analyze: the app's namespace in the environment (the namespace placeholder of the objectives queries); default --app")]
    readonly string? AnalysisNamespace;

    [Parameter("Analyze: the Deployment whose rollout must finish first; default --app")]
    readonly string? AnalysisDeployment;

    [Parameter("Analyze: wait through the Kubernetes API (--kubeconfig) until the Deployment has rolled out before the SLO checks")]
    readonly bool WaitForRollout;

    [Parameter("Analyze: how long to wait for the rollout before the analysis is inconclusive")]
    readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(10);

    Target Analyze => _ => _
        .DependsOn(Deploy)
        // Where no Prometheus is configured (a CI variable left empty), the generated pipelines skip it with this reason.
        .OnlyWhen(() => PrometheusUrl is { Length: > 0 }, "--prometheus-url is set")
        .Description("After Deploy: waits for Flux and the rollout, checks the SLOs in the objectives file against Prometheus; a pass can promote, a breach rolls back")
        .Produces("ANALYSIS_VERDICT")
        .Requires(AnalysisConfigurationAsync)
        .Executes(async ctx =>
        {
            var prometheusUrl = new Uri(PrometheusUrl!);
            var credentials = new PrometheusCredentials(PrometheusToken, PrometheusUsername, PrometheusPassword).Validate();
            var next = PromoteOnSuccess ? PromotionPath.Next(Environments, Environment) : null;
            var repository = await ManifestsAsync(ctx.CancellationToken);
            var spec = Objectives is { Length: > 0 } file
                ? ObjectivesReader.ReadFile(file)
                : ObjectivesReader.Parse(await repository.ReadFileAsync($"apps/{App}/objectives.yaml", ctx.CancellationToken)
                    ?? throw new PipelineException($"The manifests repository has no apps/{App}/objectives.yaml; add one (see manifests/apps/shortlink/objectives.yaml) or pass --objectives."), $"apps/{App}/objectives.yaml");
            // The digest running there: what the rollout must show and what a promotion ships.
            var deployed = WaitForRollout || next is not null ? await repository.ReadDeployedAsync(PathFor(Environment), ManifestsImage, ctx.CancellationToken) : null;

            using var kubernetes = WaitForRollout || WaitForFlux ? new KubernetesClient(KubeConfig.Resolve(Kubeconfig, KubeContext, PipelineHost.CurrentEnvironment())) : null;
            var commit = ctx.State.Get("DEPLOY_COMMIT");
            var request = new AnalysisRequest(App, Environment, AnalysisNamespace ?? App, spec)
            {
                WaitForFlux = WaitForFlux && kubernetes is not null && commit is not null
                    ? async ct => await new FluxWaiter(kubernetes, ctx.Log, repository.IsDescendantAsync).WaitAsync(
                        new FluxWaitOptions(FluxSettings.ParseKustomization(FluxKustomization).Namespace, FluxSettings.ParseKustomization(FluxKustomization).Name, commit) { Timeout = FluxTimeout }, ct)
                    : null,
                Rollout = WaitForRollout ? new RolloutWaitOptions(AnalysisNamespace ?? App, AnalysisDeployment ?? App) { ExpectedDigest = deployed?.Digest, Timeout = RolloutTimeout } : null,
            };
            var actions = new ReleaseActions
            {
                Promote = next is null || deployed is null ? null : async _ => (await DeployImageAsync(ImageReference.Parse(deployed.Reference), ctx, next)).Describe(),
                Rollback = async ct => (await repository.RollbackAsync(new RollbackRequest(Environment, App, PathFor(Environment), Host.RunId), ct)).Describe(),
                RollbackOnInconclusive = RollbackOnInconclusive,
            };

            using var prometheus = new PrometheusClient(prometheusUrl, credentials);
            var source = kubernetes is null ? null : new KubernetesDeploymentStatusSource(kubernetes);
            var report = await new ReleaseAnalyzer(prometheus, ctx.Log, source).AnalyzeAsync(request, actions, ctx.CancellationToken);

            ctx.State.SetRecord(AnalysisReport.StateKey, AnalysisRecord.From(report, Environment));
            ctx.Publish("ANALYSIS_VERDICT", report.VerdictText);
            ctx.Note("Analysis", $"{report.VerdictText} ({report.Checks.Count} checks, {ParameterConverter.FormatDuration(report.Duration)})");
            ctx.Note("Action", report.Action);
            Host.AppendSummary(report.ToMarkdown());
            report.EnsurePassed();
        });

    /// <summary>What Analyze needs, checked before the first target: a usable URL and credentials, and a promotion only of a release it saw roll out.</summary>
    Task AnalysisConfigurationAsync(CancellationToken cancellationToken)
    {
        if (PrometheusUrl is not { Length: > 0 }) return Task.CompletedTask;
        if (!Uri.TryCreate(PrometheusUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new PipelineException($"--prometheus-url `{PrometheusUrl}` is not an http(s) URL; e.g. http://prometheus.monitoring:9090.");
        new PrometheusCredentials(PrometheusToken, PrometheusUsername, PrometheusPassword).Validate();
        if (!PromoteOnSuccess) return Task.CompletedTask;
        PromotionPath.Next(Environments, Environment);
        // Without the rollout check the first checks measure the old pods, and the promotion would ship on their numbers.
        if (!WaitForRollout)
            throw new PipelineException("--promote-on-success promotes only a release Analyze saw roll out: add --wait-for-rollout (with --kubeconfig, or the pod's service account).");
        return Task.CompletedTask;
    }
}
