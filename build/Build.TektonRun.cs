using Pipelines;
using Pipelines.Kubernetes;
using Pipelines.Signing;
using Pipelines.Targets;

partial class Build
{
    [Parameter("TektonRun: the repository the cluster clones; default this checkout's origin remote")]
    readonly string? TektonGitUrl;

    [Parameter("TektonRun: owner/name on GitHub for the run's commit status; empty: no status")]
    readonly string? TektonStatusRepository;

    [Parameter("TektonRun: how long the PipelineRun may take before it is cancelled")]
    readonly TimeSpan TektonTimeout = TimeSpan.FromHours(1);

    Target TektonRun => _ => _
        .Description("Runs the generated Tekton Pipeline for the current commit in the kubeconfig's cluster and follows it to the end")
        .Executes(async ctx =>
        {
            var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken)
                ?? throw new PipelineException("TektonRun needs a git checkout with a commit: the cluster builds a commit, not a working tree.");
            using var kubernetes = new KubernetesClient(KubeConfig.Resolve(Kubeconfig, KubeContext, PipelineHost.CurrentEnvironment()));
            var result = await new TektonRunner(kubernetes, ctx.Log).RunAsync(
                new TektonRunOptions(Ci.Tekton!.Namespace, Ci.Name, new Dictionary<string, string>
                {
                    ["git-url"] = TektonRunner.CloneUrl(TektonGitUrl ?? source.Uri),
                    ["git-revision"] = source.Commit,
                    ["github-repository"] = TektonStatusRepository ?? "",
                    // The same helper images a push passes (the ConfigMap carries the settings every Task reads).
                    ["dind-image"] = Ci.Tekton.DindImage,
                    ["curl-image"] = Ci.Tekton.CurlImage,
                })
                {
                    ServiceAccount = $"{Ci.Name}-runner",
                    WorkspaceSize = Ci.Tekton.WorkspaceSize,
                    Timeout = TektonTimeout,
                },
                ctx.CancellationToken);
            ctx.Note("PipelineRun", $"{Ci.Tekton.Namespace}/{result.Name}: {result.Reason}");
        });
}
