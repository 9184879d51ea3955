using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Targets;

namespace Pipelines.Generators;

/// <summary>
/// The check every build run makes: committed CI files equal what the build would generate. On a CI host
/// (GitHub Actions, Tekton) a difference fails the run, so CI never runs from a stale definition; on a
/// laptop it only warns, since the developer may be about to regenerate.
/// </summary>
internal sealed class GeneratedFilesCheck(CiGenerator generator, CiConfiguration configuration, string generateTarget)
{
    /// <summary>Fails (in CI) or warns (locally) before any target runs when generated CI files are out of date.</summary>
    public void Run(string rootDirectory, ExecutionPlan plan, PipelineHost host)
    {
        // Generate itself is about to fix whatever differs.
        if (plan.Invoked.Contains(generateTarget, StringComparer.OrdinalIgnoreCase)) return;
        // A Task whose image can move under it: stop before the run builds anything from it.
        // A local run (TektonRun --local) runs its own runner image in place of the one the Tasks name.
        if (host is TektonHost tekton && generator.RunnerImageProblem is { } runner)
        {
            if (tekton.LocalRunner is not { Length: > 0 } local) throw new PipelineException(runner);
            host.Warn($"{runner} (Not enforced in this local PipelineRun, whose steps run {local}.)");
        }
        var report = generator.Check(rootDirectory);
        if (report.IsCurrent) return;
        var message = report.Describe(configuration.RegenerateCommand);
        if (host is TerminalHost) host.Warn(message);
        else throw new PipelineException(message);
    }
}
