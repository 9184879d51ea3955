using Pipelines.Generators;
using Pipelines.Hosts;
using Pipelines.Kubernetes;
using Pipelines.Signing;
using Pipelines.Targets;
using Pipelines.Workspace;

namespace Pipelines.Components;

/// <summary>TektonRun: the generated Pipeline run for the current commit, in the kubeconfig's cluster or (<c>--local</c>) on the local Docker engine.</summary>
public partial interface ITektonRun : IGenerate, IManifests, ISigningKeys, IKubernetesAccess
{
    [Parameter("TektonRun: the repository the cluster clones; default this checkout's origin remote", LocalOnly = true)]
    string? TektonGitUrl => ValueOf(() => TektonGitUrl, null);

    [Parameter("TektonRun: owner/name on GitHub for the run's commit status; empty: no status", LocalOnly = true)]
    string? TektonStatusRepository => ValueOf(() => TektonStatusRepository, null);

    [Parameter("TektonRun: how long the PipelineRun may take before it is cancelled", LocalOnly = true)]
    TimeSpan TektonTimeout => ValueOf(() => TektonTimeout, TimeSpan.FromHours(1));

    [Parameter("TektonRun: run the generated Pipeline on the local Docker engine instead of a cluster", LocalOnly = true)]
    bool Local => ValueOf(() => Local, false);

    /// <summary>Runs the generated Tekton Pipeline on a cluster or the local Docker engine.</summary>
    Target TektonRun => _ => _
        .Description("Runs the generated Tekton Pipeline for the current commit in the kubeconfig's cluster (or with --local on the local Docker engine) and follows it to the end")
        .Executes(async ctx =>
        {
            if (Local && File is { } file)
            {
                await TektonRunFileAsync(file, ctx);
                return;
            }
            if (File is not null) throw new PipelineException("--file runs a PipelineRun/TaskRun file on the local engine: add --local (a cluster run uses kubectl create -f).");
            var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken)
                ?? throw new PipelineException("TektonRun needs a git checkout with a commit: the cluster builds a commit, not a working tree.");
            if (Local)
            {
                await TektonRunLocalAsync(source.Commit, ctx);
                return;
            }
            using var kubernetes = new KubernetesClient(KubeConfig());
            var ci = Ci;
            var tekton = ci.Tekton ?? throw new PipelineException("TektonRun runs the generated Tekton Pipeline, but the build's Ci configuration has no Tekton section.");
            // --tekton-timeout is the run's timeouts.pipeline (the finally share kept), as the TriggerTemplate's would be.
            if (IsGiven(nameof(TektonTimeout)))
            {
                if (TektonTimeout <= tekton.FinallyTimeout)
                    throw new PipelineException($"--tekton-timeout {Durations.Format(TektonTimeout)} leaves nothing for the Tasks: the finally Task keeps {Durations.Format(tekton.FinallyTimeout)}; give more.");
                ci = ci with { Tekton = tekton = tekton with { Timeout = TektonTimeout } };
            }
            // The TriggerTemplate's PipelineRun, from the same code (service account, fsGroup, claims, timeouts): only the params differ.
            var pipelineRun = GeneratorFor(ci).PipelineRun(RootDirectory, new Dictionary<string, string>
            {
                ["git-url"] = TektonRunner.CloneUrl(TektonGitUrl ?? source.Uri),
                ["git-revision"] = source.Commit,
                ["github-repository"] = TektonStatusRepository ?? "",
                ["dind-image"] = tekton.DindImage,
                ["curl-image"] = tekton.StatusImage,
            });
            // Tekton ends the run at its timeout; a minute more reads how it ended.
            var result = await new TektonRunner(kubernetes, ctx.Log).RunAsync(
                new TektonRunOptions(tekton.Namespace, pipelineRun) { Timeout = tekton.Timeout + TimeSpan.FromMinutes(1) },
                ctx.CancellationToken);
            ctx.Note("PipelineRun", $"{tekton.Namespace}/{result.Name}: {result.Reason}");
        });
}
