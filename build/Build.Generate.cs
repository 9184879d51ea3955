using Pipelines.Generators;
using Pipelines.Hosts;
using Pipelines.Targets;

partial class Build : IBuildCheck
{
    Target Generate => _ => _
        .Description("Writes .github/workflows/ and tekton/ from the targets and build/Build.CI.cs")
        .Executes(context =>
        {
            var report = CiGenerator.Write(RootDirectory);
            foreach (var file in report.Changed) Log.Info($"wrote {file}");
            foreach (var file in report.Stale) Log.Info($"deleted {file} (no longer generated)");
            context.Note("Files", report.IsCurrent ? "all current" : $"{report.Changed.Count} written, {report.Stale.Count} deleted");
        });

    CiGenerator CiGenerator => new(BuildShape.Of(GetType()), Ci);

    /// <summary>Every run checks that the committed CI files are what Generate would write.</summary>
    void IBuildCheck.BeforeTargets(ExecutionPlan plan, PipelineHost host) =>
        new GeneratedFilesCheck(CiGenerator, Ci, nameof(Generate)).Run(RootDirectory, plan, host);
}
