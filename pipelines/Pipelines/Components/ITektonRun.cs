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
            // --tekton-timeout is the run's timeouts.pipeline (the finally share kept), as the TriggerTemplate's would be.
            if (IsGiven(nameof(TektonTimeout)))
            {
                if (TektonTimeout <= tekton.FinallyTimeout)
                    throw new PipelineException($"--tekton-timeout {Durations.Format(TektonTimeout)} leaves nothing for the Tasks: the finally Task keeps {Durations.Format(tekton.FinallyTimeout)}; give more.");
                ci = ci with { Tekton = tekton = tekton with { Timeout = TektonTimeout } };
            }
            // The TriggerTemplate's PipelineRun, from the same code (service account, fsGroup, claims, timeouts): only the params differ.
            // A promotion or rollback: the clone and the one target's Task, no caches, no commit status.
            // A manual Pipeline clones the ConfigMap's repository and takes no URL (a caller must not choose the build.sh that runs).
            if (chosen.Manual && TektonGitUrl is not null)
                throw new PipelineException($"--tekton-git-url does not apply to --pipeline {Pipeline}: it clones the repository set as {Generators.TektonGenerator.RepositoryUrlKey} in the ConfigMap {ci.Name}-config; leave the option out.");
            var values = new Dictionary<string, string>(chosen.Parameters) { ["git-revision"] = source.Commit };
            if (!chosen.Manual)
            {
                values["git-url"] = TektonRunner.CloneUrl(TektonGitUrl ?? source.Uri);
                values["github-repository"] = TektonStatusRepository ?? "";
                values["dind-image"] = tekton.DindImage;
                values["curl-image"] = tekton.StatusImage;
            }
            var pipelineRun = GeneratorFor(ci).PipelineRun(RootDirectory, values, chosen.Manual ? chosen.Name : null);
            // Tekton ends the run at its timeout; a minute more reads how it ended.
            var result = await new TektonRunner(kubernetes, ctx.Log).RunAsync(
                new TektonRunOptions(tekton.Namespace, pipelineRun) { Timeout = tekton.Timeout + TimeSpan.FromMinutes(1) },
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
            // Given, not merely non-empty: --environment has a default (dev), and a promotion must never go there unasked.
            var value = ParameterConverter.Format(descriptor.GetValue(this));
            if (!IsGiven(member) || value.Length == 0)
                throw new PipelineException($"--pipeline {ParameterDescriptor.ToKebab(target)} needs --{descriptor.CliName}: e.g. ./build.sh TektonRun --pipeline promote --from staging --environment prod.");
            parameters[descriptor.CliName] = value;
        }
        return new TektonPipelineChoice(Generators.TektonGenerator.ManualPipelineName(name, target), true, parameters);
    }
}
