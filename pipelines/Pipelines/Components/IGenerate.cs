using Pipelines.Generators;
using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Logging;

namespace Pipelines.Components;

/// <summary>Generate: the GitHub workflows and Tekton resources written from the build's targets, parameters and <see cref="Ci"/>.</summary>
public interface IGenerate : IServices
{
    /// <summary>
    /// How CI runs this build; Generate turns it into .github/workflows/ and tekton/. Targets, parameters, dependencies
    /// and outputs come from the targets themselves; a parameter declared <c>LocalOnly</c> never reaches CI, one declared
    /// <c>PerService</c> only in a build of one service.
    /// </summary>
    CiConfiguration Ci { get; }

    /// <summary>Writes the CI files.</summary>
    Target Generate => _ => _
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

    /// <summary>The generator of this build's CI files, over the parameters CI may set.</summary>
    internal CiGenerator CiGenerator => GeneratorFor(Ci);

    /// <summary>The generator of this build's CI files for <paramref name="ci"/> (TektonRun: a run's own timeout).</summary>
    internal CiGenerator GeneratorFor(CiConfiguration ci) => new(BuildShape.Of(GetType()).ForCi(severalServices: Services.Count > 1), ci);

    /// <summary>Every run checks that the committed CI files are what Generate would write (on CI a stale file stops the run).</summary>
    internal void CheckGeneratedFiles(ExecutionPlan plan, PipelineHost host) =>
        new GeneratedFilesCheck(CiGenerator, Ci, nameof(Generate)).Run(RootDirectory, plan, host);
}
