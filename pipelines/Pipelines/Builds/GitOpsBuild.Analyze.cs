using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines;
using Pipelines.Analysis;
using Pipelines.GitOps;
using Pipelines.Kubernetes;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("Prometheus HTTP API root for Analyze (e.g. http://prometheus.monitoring:9090, or the ARMS HTTP API URL)")]
    readonly string? PrometheusUrl;

    [Parameter("Bearer token for --prometheus-url (a proxy, ARMS V1's token)"), Secret]
    readonly string? PrometheusToken;

    [Parameter("Basic-auth user for --prometheus-url (ARMS V2: the AccessKey ID)")]
    readonly string? PrometheusUsername;

    [Parameter("Basic-auth password for --prometheus-url (ARMS V2: the AccessKey secret)"), Secret]
    readonly string? PrometheusPassword;

    [Parameter("Objectives file for Analyze; default apps/<service>/objectives.yaml in the manifests repository")]
    readonly string? Objectives;

    [Parameter("Analyze: on a pass, promote the analysed digest to the next environment of --environments")]
    readonly bool PromoteOnSuccess;

    [Parameter("Analyze: also roll back when the analysis is inconclusive (no data, Prometheus unreachable)")]
    readonly bool RollbackOnInconclusive;

    [Parameter("Analyze: the service's namespace in the environment (the namespace placeholder of the objectives queries); default the service's name")]
    readonly string? AnalysisNamespace;

    [Parameter("Analyze: the Deployment whose rollout must finish first; default the service's name")]
    readonly string? AnalysisDeployment;

    [Parameter("Analyze: wait through the Kubernetes API (--kubeconfig) until the Deployment has rolled out before the SLO checks")]
    readonly bool WaitForRollout;

    [Parameter("Analyze: how long to wait for the rollout before the analysis is inconclusive")]
    readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Verifies the release against its objectives; a breach rolls back, a pass may promote.</summary>
    public virtual Target Analyze => _ => _
        .DependsOn(Deploy)
        // Where no Prometheus is configured (a CI variable left empty), the generated pipelines skip it with this reason.
        .OnlyWhen(() => PrometheusUrl is { Length: > 0 }, "--prometheus-url is set")
        .Description("After Deploy: waits for Flux and the rollout, checks each service's SLOs (its objectives file) against Prometheus; a pass can promote, a breach rolls back")
        .Produces("ANALYSIS_VERDICT")
        .Requires(AnalysisConfigurationAsync)
        .Executes(async ctx =>
        {
            var prometheusUrl = new Uri(PrometheusUrl!);
            var credentials = new PrometheusCredentials(PrometheusToken, PrometheusUsername, PrometheusPassword).Validate();
            var next = PromoteOnSuccess ? PromotionPath.Next(Environments, Environment) : null;
            var repository = await ManifestsAsync(ctx.CancellationToken);
            using var kubernetes = WaitForRollout || WaitForFlux ? new KubernetesClient(KubeConfig.Resolve(Kubeconfig, KubeContext, PipelineHost.CurrentEnvironment())) : null;
            var commit = ctx.State.Get("DEPLOY_COMMIT");
            Func<CancellationToken, Task>? waitForFlux = WaitForFlux && kubernetes is not null && commit is not null
                ? async ct => await new FluxWaiter(kubernetes, ctx.Log, repository.IsDescendantAsync).WaitAsync(
                    new FluxWaitOptions(FluxSettings.ParseKustomization(FluxKustomization).Namespace, FluxSettings.ParseKustomization(FluxKustomization).Name, commit) { Timeout = FluxTimeout }, ct)
                : null;

            // What each service is analysed against, and every selected service's running digest (what the rollout must
            // show, and what a promotion ships: all of them, analysed or not, so the next environment gets the whole release).
            var deployed = WaitForRollout || next is not null
                ? await repository.ReadDeployedAsync(SelectedServices.Select(s => (PathFor(s, Environment), ManifestsImageOf(s))).ToList(), ctx.CancellationToken)
                : null;
            var subjects = new List<(Service Service, AnalysisSpec Spec, ImageUpdate? Deployed)>();
            var unanalysed = new List<string>();
            foreach (var (service, index) in SelectedServices.Select((s, i) => (s, i)))
            {
                var objectivesPath = $"apps/{service.Name}/objectives.yaml";
                var spec = Objectives is { Length: > 0 } file
                    ? ObjectivesReader.ReadFile(file)
                    : await repository.ReadFileAsync(objectivesPath, ctx.CancellationToken) is { } text ? ObjectivesReader.Parse(text, objectivesPath) : null;
                if (spec is null && SelectedServices.Count == 1)
                    throw new PipelineException($"The manifests repository has no {objectivesPath}; add one (the template's manifests have an example) or pass --objectives.");
                if (spec is null) unanalysed.Add(service.Name);
                else subjects.Add((service, spec, deployed?[index]));
            }
            if (subjects.Count == 0)
                throw new PipelineException($"None of {string.Join(", ", SelectedServices.Select(s => s.Name))} has apps/<service>/objectives.yaml in the manifests repository: add one, or pass --objectives with one --service.");
            if (unanalysed.Count > 0)
                ctx.Log.Warn($"{string.Join(", ", unanalysed)} {(unanalysed.Count == 1 ? "has" : "have")} no apps/<service>/objectives.yaml: {(unanalysed.Count == 1 ? "its" : "their")} release is judged only through the others' objectives (and rolled back or promoted with them).");

            using var prometheus = new PrometheusClient(prometheusUrl, credentials);
            var source = kubernetes is null ? null : new KubernetesDeploymentStatusSource(kubernetes);
            var rollback = new Func<CancellationToken, Task<string>>(async ct => (await repository.RollbackAsync(RollbackRequestFor(Environment), ct)).Describe());
            var promote = next is null || deployed is null ? null
                : new Func<CancellationToken, Task<string>>(async _ => (await DeployImagesAsync(
                    SelectedServices.Zip(deployed, (service, image) => (service, ImageReference.Parse(image.Reference))).ToList(), ctx, next)).Describe());
            var actions = new ReleaseActions { Promote = promote, Rollback = rollback, RollbackOnInconclusive = RollbackOnInconclusive };

            AnalysisReport report;
            if (SelectedServices.Count == 1)
            {
                // One service: the analyzer waits for Flux, measures, and acts on its own verdict.
                var only = subjects[0];
                report = await new ReleaseAnalyzer(prometheus, ctx.Log, source).AnalyzeAsync(
                    AnalysisRequestFor(only.Service, only.Spec, only.Deployed) with { WaitForFlux = waitForFlux }, actions, ctx.CancellationToken);
            }
            else
            {
                // Several: Flux once (a wait that fails is inconclusive, as for one), then every service's analysis side by
                // side; one verdict acts on the one deploy commit.
                var started = DateTimeOffset.UtcNow;
                string? fluxProblem = null;
                if (waitForFlux is not null)
                {
                    try { await waitForFlux(ctx.CancellationToken); }
                    catch (PipelineException e) { fluxProblem = e.Message; }
                }
                var reports = fluxProblem is not null
                    ? subjects.Select(_ => new AnalysisReport(AnalysisVerdict.Inconclusive, $"Flux did not report the deploy applied: {fluxProblem}", [], "", DateTimeOffset.UtcNow - started)).ToArray()
                    : await Task.WhenAll(subjects.Select(s => new ReleaseAnalyzer(prometheus, new PrefixedLog(ctx.Log, s.Service.Name), source)
                        .AnalyzeAsync(AnalysisRequestFor(s.Service, s.Spec, s.Deployed), ReleaseActions.None, ctx.CancellationToken)));
                report = await CombinedReleaseReport.ActAsync(Environment, subjects.Select(s => s.Service.Name).ToList(), reports, actions, ctx.CancellationToken);
            }

            ctx.State.SetRecord(AnalysisReport.StateKey, AnalysisRecord.From(report, Environment));
            ctx.Publish("ANALYSIS_VERDICT", report.VerdictText);
            ctx.Note("Analysis", $"{report.VerdictText} ({report.Checks.Count} checks, {ParameterConverter.FormatDuration(report.Duration)})");
            ctx.Note("Action", report.Action);
            Host.AppendSummary(report.ToMarkdown());
            report.EnsurePassed();
        });

    /// <summary>One service's analysis in --environment: its namespace and Deployment, the rollout to wait for.</summary>
    AnalysisRequest AnalysisRequestFor(Service service, AnalysisSpec spec, ImageUpdate? deployed) =>
        new(service.Name, Environment, AnalysisNamespace ?? service.Name, spec)
        {
            Rollout = WaitForRollout
                ? new RolloutWaitOptions(AnalysisNamespace ?? service.Name, AnalysisDeployment ?? service.Name) { ExpectedDigest = deployed?.Digest, Timeout = RolloutTimeout }
                : null,
        };

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
