using Pipelines.Logging;
using Pipelines;
using Pipelines.Generators;
using Pipelines.Hosts;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild : IBuildCheck
{
    /// <summary>Writes the CI files.</summary>
    public virtual Target Generate => _ => _
        .Description("Writes .github/workflows/ and tekton/ from the targets and the build's Ci configuration")
        .Executes(context =>
        {
            // On a developer machine a runner image not yet built is written as given (the one-time setup builds it);
            // on CI it is refused before anything is written.
            if (CiGenerator.RunnerImageProblem is { } runner)
            {
                if (!Host.IsDeveloperMachine) throw new PipelineException(runner);
                Log.Warn(runner);
            }
            var report = CiGenerator.Write(RootDirectory);
            foreach (var file in report.Changed) Log.Info($"wrote {file}");
            foreach (var file in report.Stale) Log.Info($"deleted {file} (no longer generated)");
            context.Note("Files", report.IsCurrent ? "all current" : $"{report.Changed.Count} written, {report.Stale.Count} deleted");
        });

    CiGenerator CiGenerator => new(BuildShape.Of(GetType()), Ci);

    /// <summary>
    /// Every run checks the declared services (and the parameters that need one service), that the committed CI files are what Generate would write, and, on CI, that the
    /// settings no local default may stand in for are there before any target runs.
    /// </summary>
    void IBuildCheck.BeforeTargets(ExecutionPlan plan, PipelineHost host)
    {
        var problems = new List<string>();
        Check(() => CheckServices(builds: plan.Targets.Any(t => t.Name == nameof(Containerize) && !t.IsSkipped)));
        Check(() => new GeneratedFilesCheck(CiGenerator, Ci, nameof(Generate)).Run(RootDirectory, plan, host));
        Check(() => new CiSettingsCheck(Ci).Run(plan, host,
        [
            new CiSetting(ParameterDescriptor.EnvironmentPrefix + "REGISTRY", Registry, Push ? [nameof(Containerize), nameof(RunnerImage)] : [nameof(RunnerImage)]),
            new CiSetting(ParameterDescriptor.EnvironmentPrefix + "MANIFESTS_REPO", ManifestsRepo, [nameof(Deploy), nameof(Promote), nameof(Rollback)]),
        ], Ci.Tekton is { } tekton && host is TektonHost ? BuildShape.Of(GetType()).Closure(tekton.Targets, "Tekton").Select(t => t.Name).ToList() : null));
        if (problems.Count > 0) throw new PipelineException(string.Join(System.Environment.NewLine, problems));

        void Check(Action check)
        {
            try { check(); }
            catch (PipelineException e) { problems.Add(e.Message); }
        }
    }

}
