using Pipelines.Hosts;
using Pipelines.Kubernetes;
using Pipelines.Signing;
using Pipelines.Targets;
using Pipelines.Workspace;
using Pipelines.Generators;

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

    [Parameter("TektonRun: the Pipeline to run: main (the build's, started by a push) or one started by hand, e.g. promote (with --from, --environment) or rollback (with --environment)", LocalOnly = true)]
    string Pipeline => ValueOf(() => Pipeline, "main");

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
            var ci = Ci;
            var tekton = ci.Tekton ?? throw new PipelineException("TektonRun runs the generated Tekton Pipeline, but the build's Ci configuration has no Tekton section.");
            var chosen = ChosenPipeline(ci.Name, tekton);
            var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken)
                ?? throw new PipelineException("TektonRun needs a git checkout with a commit: the cluster builds a commit, not a working tree.");
            if (Local)
            {
                await TektonRunLocalAsync(source.Commit, chosen, ctx);
                return;
            }
            using var kubernetes = new KubernetesClient(KubeConfig());
            if (chosen.Manual)
            {
                // A promotion or rollback: the clone and the one target's Task, no caches, no commit status.
                var manual = await new TektonRunner(kubernetes, ctx.Log).RunAsync(
                    new TektonRunOptions(tekton.Namespace, chosen.Name, new Dictionary<string, string>(chosen.Parameters)
                    {
                        ["git-url"] = TektonRunner.CloneUrl(TektonGitUrl ?? source.Uri),
                        ["git-revision"] = source.Commit,
                    })
                    {
                        ServiceAccount = $"{ci.Name}-runner",
                        WorkspaceSize = tekton.WorkspaceSize,
                        StorageClass = tekton.StorageClass,
                        FsGroup = tekton.RunnerUserId,
                        Timeout = TektonTimeout,
                    },
                    ctx.CancellationToken);
                ctx.Note("PipelineRun", $"{tekton.Namespace}/{manual.Name}: {manual.Reason}");
                return;
            }
            var result = await new TektonRunner(kubernetes, ctx.Log).RunAsync(
                new TektonRunOptions(tekton.Namespace, ci.Name, new Dictionary<string, string>
                {
                    ["git-url"] = TektonRunner.CloneUrl(TektonGitUrl ?? source.Uri),
                    ["git-revision"] = source.Commit,
                    ["github-repository"] = TektonStatusRepository ?? "",
                    // The same helper images a push passes (the ConfigMap carries the settings every Task reads).
                    ["dind-image"] = tekton.DindImage,
                    ["curl-image"] = tekton.StatusImage,
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

    /// <summary>
    /// The Pipeline --pipeline names: main (the build's own), or a manual one (<see cref="TektonPipeline.ManualTargets"/>)
    /// with the params its TriggerTemplate takes from this run's options (<see cref="TektonPipeline.ManualParameters"/>),
    /// each of which must be set: a promotion without --from stops here, not in a Task.
    /// </summary>
    internal TektonPipelineChoice ChosenPipeline(string name, TektonPipeline tekton)
    {
        if (Pipeline is "main" or "" || Pipeline == name) return new TektonPipelineChoice(name, false, new Dictionary<string, string>());
        var target = tekton.ManualTargets.FirstOrDefault(t => ParameterDescriptor.ToKebab(t) == Pipeline.ToLowerInvariant() || t.Equals(Pipeline, StringComparison.OrdinalIgnoreCase))
            ?? throw new PipelineException($"--pipeline {Pipeline} is not a generated Pipeline; use main or one of: {string.Join(", ", tekton.ManualTargets.Select(ParameterDescriptor.ToKebab))}.");
        var descriptors = ParameterDescriptor.Discover(GetType()).ToDictionary(p => p.MemberName);
        var parameters = new Dictionary<string, string>();
        foreach (var member in tekton.ManualParameters)
        {
            var descriptor = descriptors[member];
            var value = ParameterConverter.Format(descriptor.GetValue(this));
            if (value.Length == 0)
                throw new PipelineException($"--pipeline {ParameterDescriptor.ToKebab(target)} needs --{descriptor.CliName}: e.g. ./build.sh TektonRun --pipeline promote --from staging --environment prod.");
            parameters[descriptor.CliName] = value;
        }
        return new TektonPipelineChoice(Generators.TektonGenerator.ManualPipelineName(name, target), true, parameters);
    }
}
