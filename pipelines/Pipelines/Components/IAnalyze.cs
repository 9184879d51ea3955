using Pipelines.Hosts;
using Pipelines.Analysis;
using Pipelines.Containers;
using Pipelines.GitOps;
using Pipelines.Kubernetes;
using Pipelines.Targets;
using Pipelines.Oci;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.Components;

/// <summary>The Analyze stage: the release verified against its objectives in Prometheus; a breach rolls back, a pass may promote.</summary>
public interface IAnalyze : IDeploy, IRollback
{
    [Parameter("Prometheus HTTP API root for Analyze (e.g. http://prometheus.monitoring:9090, or the ARMS HTTP API URL)")]
    string? PrometheusUrl => ValueOf(() => PrometheusUrl, null);

    [Parameter("Bearer token for --prometheus-url (a proxy, ARMS V1's token)"), Secret]
    string? PrometheusToken => ValueOf(() => PrometheusToken, null);

    [Parameter("Basic-auth user for --prometheus-url (ARMS V2: the AccessKey ID)")]
    string? PrometheusUsername => ValueOf(() => PrometheusUsername, null);

    [Parameter("Basic-auth password for --prometheus-url (ARMS V2: the AccessKey secret)"), Secret]
    string? PrometheusPassword => ValueOf(() => PrometheusPassword, null);

    [Parameter("Objectives file for Analyze; default apps/<service>/objectives.yaml in the manifests repository", PerService = true)]
    string? Objectives => ValueOf(() => Objectives, null);

    [Parameter("Analyze: on a pass, promote the analysed digest to the next environment of --environments")]
    bool PromoteOnSuccess => ValueOf(() => PromoteOnSuccess, false);

    [Parameter("Analyze: also roll back when the data leaves the analysis inconclusive (no samples, NaN, too many inconclusive checks); a configuration error (a bad query, refused credentials, Prometheus unreachable or failing) fails the run and never rolls back")]
    bool RollbackOnInconclusive => ValueOf(() => RollbackOnInconclusive, false);

    [Parameter("Analyze: the service's namespace in the environment (the namespace placeholder of the objectives queries); default the service's name", PerService = true)]
    string? AnalysisNamespace => ValueOf(() => AnalysisNamespace, null);

    [Parameter("Analyze: the Deployment whose rollout must finish first; default the service's name", PerService = true)]
    string? AnalysisDeployment => ValueOf(() => AnalysisDeployment, null);

    [Parameter("Analyze: wait through the Kubernetes API (--kubeconfig) until the Deployment has rolled out before the SLO checks")]
    bool WaitForRollout => ValueOf(() => WaitForRollout, false);

    [Parameter("Analyze: wait this long after each check's evaluation time (the window's start + n × interval) before querying it, for a Prometheus that ingests late; HTTP probes run when queried; 0 for one that scrapes the service itself, 30s-1m for ARMS or a remote-write setup (measure the lag: time() - max(timestamp(up{namespace=\"…\"})))")]
    TimeSpan PrometheusLag => ValueOf(() => PrometheusLag, TimeSpan.Zero);

    [Parameter("Analyze: how long to wait for the rollout before the analysis is inconclusive")]
    TimeSpan RolloutTimeout => ValueOf(() => RolloutTimeout, TimeSpan.FromMinutes(10));

    /// <summary>Verifies the release against its objectives; a breach rolls back, a pass may promote.</summary>
    Target Analyze => _ => _
        .DependsOn(Deploy)
        // Where no Prometheus is configured (a CI variable left empty), the generated pipelines skip it with this reason.
        .OnlyWhen(() => PrometheusUrl is { Length: > 0 }, "--prometheus-url is set")
        .Description("After Deploy: waits for Flux and the rollout, checks each service's SLOs (its objectives file) against Prometheus; a pass can promote, a breach rolls back")
        .Produces("ANALYSIS_VERDICT")
        .Requires(AnalysisConfigurationAsync)
        .Executes(async ctx =>
        {
            var next = PromoteOnSuccess ? PromotionPath.Next(Environments, Environment) : null;
            var repository = await ManifestsAsync(ctx.CancellationToken);
            // What is judged: Deploy's commit to this environment and the digests it left there (without one, the branch head's).
            var commit = ctx.State.Get("DEPLOY_ENVIRONMENT") is not { } deployedTo || deployedTo == Environment ? ctx.State.Get("DEPLOY_COMMIT") : null;
            var images = SelectedServices.Select(s => (Path: PathFor(s, Environment), ImageName: ManifestsImageOf(s))).ToList();
            var running = await repository.ReadRunningAsync(images, commit, ctx.CancellationToken);
            var judged = SelectedServices.Zip(running).Where(x => x.Second?.Digest is not null)
                .ToDictionary(x => x.First.Name, x => x.Second!.Digest!, StringComparer.Ordinal);
            // A retried job must not act twice on one deploy: the first verdict stands unless --fresh.
            if (!ctx.Fresh && ctx.State.GetRecord<AnalysisRecord>(AnalysisReport.StateKey) is { } previous && previous.Judged(Environment, commit, judged))
            {
                ctx.Log.Info(previous.AlreadyJudged());
                ctx.Publish("ANALYSIS_VERDICT", previous.Verdict);
                ctx.Note("Analysis", $"{previous.Verdict} (already judged at {previous.FinishedAt:HH:mm:ss}Z; --fresh judges again)");
                if (previous.Verdict != "pass") throw new PipelineException(previous.AlreadyJudged());
                return;
            }
            using var kubernetes = WaitForRollout || WaitForFlux ? new KubernetesClient(KubeConfig()) : null;
            // Every selected service's running digest: what the rollout must show, and what a promotion ships (all of
            // them, analysed or not, so the next environment gets the whole release).
            var deployed = WaitForRollout || next is not null
                ? await repository.ReadDeployedAsync(images.Select(i => (i.Path, i.ImageName)).ToList(), ctx.CancellationToken)
                : null;
            var requests = AnalysisRequests(await ObjectivesAsync(repository, ctx.CancellationToken), deployed, ctx.Log);
            var flux = FluxSettingsFor(kubernetes, repository, ctx);
            Func<CancellationToken, Task>? waitForFlux = WaitForFlux && flux.Waiter is { } waiter && commit is not null
                ? ct => waiter.WaitAsync(new FluxWaitOptions(flux.Kustomization!.Value.Namespace, flux.Kustomization.Value.Name, commit) { Timeout = FluxTimeout }, ct)
                : null;
            // The rollback reverts only the judged release, and only while the environment still runs it.
            var rollback = RollbackRequestFor(Environment) with
            {
                Expected = [.. SelectedServices.Zip(images).Where(x => judged.ContainsKey(x.First.Name))
                    .Select(x => new ExpectedImage(x.First.Name, x.Second.Path, x.Second.ImageName, judged[x.First.Name]))],
                DeployCommit = commit,
            };
            var actions = new ReleaseActions
            {
                Rollback = async ct =>
                {
                    var revision = await repository.RollbackAsync(rollback, ct);
                    return new RollbackOutcome(revision.Declined is null, revision.Describe());
                },
                Promote = next is null || deployed is null ? null : async ct =>
                {
                    var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ct);
                    var shipped = SelectedServices.Zip(deployed, (service, image) => (service, ImageReference.Parse(image.Reference))).ToList();
                    return (await DeployImagesAsync(shipped, source?.Commit, ctx, next)).Describe();
                },
                RollbackOnInconclusive = RollbackOnInconclusive,
            };

            using var prometheus = new PrometheusClient(new Uri(PrometheusUrl!), new PrometheusCredentials(PrometheusToken, PrometheusUsername, PrometheusPassword).Validate());
            var report = await new ReleaseAnalysis(prometheus, ctx.Log, kubernetes is null ? null : new KubernetesDeploymentStatusSource(kubernetes))
                .AnalyzeAsync(requests, waitForFlux, actions, ctx.CancellationToken);

            ctx.State.SetRecord(AnalysisReport.StateKey, AnalysisRecord.From(report, Environment, commit, judged));
            ctx.Publish("ANALYSIS_VERDICT", report.VerdictText);
            ctx.Note("Analysis", $"{report.VerdictText} ({report.Checks.Count} checks, {Durations.Format(report.Duration)})");
            ctx.Note("Action", report.Action);
            Host.AppendSummary(report.ToMarkdown());
            foreach (var file in AnalysisEvidence.WriteAll(report, Layout.AnalysisFileOf))
                ctx.Log.Info($"What the analysis saw: {Path.GetRelativePath(RootDirectory, file)}");
            report.EnsurePassed();
        });

    /// <summary>
    /// Each selected service's objectives, in order: --objectives (it names one service), or apps/&lt;service&gt;/objectives.yaml
    /// from one shallow sparse clone of the manifests repository (null for a service without one). Every mistake of every
    /// file is reported at once, with file:line:col.
    /// </summary>
    internal async Task<IReadOnlyList<AnalysisSpec?>> ObjectivesAsync(ManifestsRepository repository, CancellationToken cancellationToken)
    {
        if (Objectives is { Length: > 0 } file)
        {
            var spec = ObjectivesReader.ReadFile(file);
            return [.. SelectedServices.Select(_ => spec)];
        }
        var paths = SelectedServices.Select(s => $"apps/{s.Name}/objectives.yaml").ToList();
        var texts = await repository.ReadFilesAsync(paths, cancellationToken);
        var specs = new List<AnalysisSpec?>();
        var problems = new List<string>();
        foreach (var (text, path) in texts.Zip(paths))
        {
            try { specs.Add(text is null ? null : ObjectivesReader.Parse(text, path)); }
            catch (PipelineException e) { problems.Add(e.Message); }
        }
        if (problems.Count > 0) throw new PipelineException(string.Join("\n", problems));
        return specs;
    }

    /// <summary>
    /// One analysis per selected service with objectives (<see cref="ObjectivesAsync"/>): its namespace, its Deployment's
    /// rollout, its deployed digest. Services without objectives are judged through the others'.
    /// </summary>
    internal IReadOnlyList<AnalysisRequest> AnalysisRequests(IReadOnlyList<AnalysisSpec?> specs, IReadOnlyList<ImageUpdate>? deployed, ILog log)
    {
        var requests = new List<AnalysisRequest>();
        var unanalysed = new List<string>();
        foreach (var (service, index) in SelectedServices.Select((s, i) => (s, i)))
        {
            var spec = specs[index];
            if (spec is null && SelectedServices.Count == 1)
                throw new PipelineException($"The manifests repository has no apps/{service.Name}/objectives.yaml; add one (the template's manifests have an example) or pass --objectives.");
            if (spec is null)
            {
                unanalysed.Add(service.Name);
                continue;
            }
            requests.Add(new AnalysisRequest(service.Name, Environment, AnalysisNamespace ?? service.Name, spec)
            {
                PrometheusLag = PrometheusLag,
                Rollout = WaitForRollout
                    ? new RolloutWaitOptions(AnalysisNamespace ?? service.Name, AnalysisDeployment ?? service.Name) { ExpectedDigest = deployed?[index].Digest, Timeout = RolloutTimeout }
                    : null,
            });
        }
        if (requests.Count == 0)
            throw new PipelineException($"None of {string.Join(", ", SelectedServices.Select(s => s.Name))} has apps/<service>/objectives.yaml in the manifests repository: add one, or pass --objectives with one --service.");
        if (unanalysed.Count > 0)
            log.Warn($"{string.Join(", ", unanalysed)} {(unanalysed.Count == 1 ? "has" : "have")} no apps/<service>/objectives.yaml: {(unanalysed.Count == 1 ? "its" : "their")} release is judged only through the others' objectives (and rolled back or promoted with them).");
        return requests;
    }

    /// <summary>
    /// What Analyze needs, checked before the first target (so before Deploy commits anything in the same run): a usable
    /// URL and credentials, every objectives file valid (all its errors at once), every query accepted by Prometheus, and a
    /// promotion only of a release it saw roll out. Configuration errors stop the run here; they are never a verdict.
    /// </summary>
    internal async Task AnalysisConfigurationAsync(CancellationToken cancellationToken)
    {
        if (PrometheusUrl is not { Length: > 0 }) return;
        if (!Uri.TryCreate(PrometheusUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new PipelineException($"--prometheus-url `{PrometheusUrl}` is not an http(s) URL; e.g. http://prometheus.monitoring:9090.");
        var credentials = new PrometheusCredentials(PrometheusToken, PrometheusUsername, PrometheusPassword).Validate();
        if (PromoteOnSuccess)
        {
            PromotionPath.Next(Environments, Environment);
            // Without the rollout check the first checks measure the old pods, and the promotion would ship on their numbers.
            if (!WaitForRollout)
                throw new PipelineException("--promote-on-success promotes only a release Analyze saw roll out: add --wait-for-rollout (with --kubeconfig, or the pod's service account).");
        }
        // The objectives live in the manifests repository (the local default is seeded here, as Deploy would).
        var specs = await ObjectivesAsync(await ManifestsAsync(cancellationToken), cancellationToken);
        using var prometheus = new PrometheusClient(url, credentials);
        await new ReleaseAnalysis(prometheus, Log).ValidateAsync(AnalysisRequests(specs, null, Log), cancellationToken);
    }
}
