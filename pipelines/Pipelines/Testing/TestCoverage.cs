using System.Text;
using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Workspace;

namespace Pipelines.Testing;

/// <summary>
/// What Test does with the coverage of a run: merges the test projects' Cobertura files into
/// <see cref="WorkspaceLayout.CoverageReportFile"/>, shows the total and each project's figure (log, summary table,
/// GitHub step summary) and publishes <see cref="Output"/>, on every path, so that a Tekton result is always written.
/// </summary>
internal sealed class TestCoverage(WorkspaceLayout layout)
{
    /// <summary>Test's output: the line coverage in percent (<c>81.2</c>), empty when coverage was not collected.</summary>
    public const string Output = "COVERAGE";

    /// <summary>Records the run's coverage; null when it was not collected.</summary>
    public CoverageReport? Record(TestRunResult result, TargetContext context)
    {
        if (Directory.Exists(layout.CoverageDirectory)) Directory.Delete(layout.CoverageDirectory, recursive: true);
        if (result.CoverageFiles.Count == 0)
        {
            context.Publish(Output, "");
            return null;
        }
        var report = CoverageReport.Merge(result.CoverageFiles, layout.Root);
        report.WriteCobertura(layout.CoverageReportFile, layout.Root);
        var total = report.Total;
        context.Publish(Output, CoverageCounts.Format(total.LinePercent));
        var projects = string.Join(", ", report.Projects.Select(p => $"{p.Project} {CoverageCounts.Format(p.Counts.LinePercent)} %"));
        context.Note("Coverage", $"{total}; {projects}");
        context.Log.Info($"Coverage: {total}; {projects}; merged report in {WorkspaceLayout.Relative.CoverageReport}");
        context.Host.AppendSummary(Markdown(report));
        return report;
    }

    /// <summary>The step summary's table: the total, then each project.</summary>
    internal static string Markdown(CoverageReport report)
    {
        var builder = new StringBuilder("### Coverage\n\n| Project | Lines | Branches |\n| --- | --- | --- |\n");
        void Row(string name, CoverageCounts c) =>
            builder.Append($"| {name} | {CoverageCounts.Format(c.LinePercent)} % ({c.LinesCovered}/{c.LinesValid}) | {CoverageCounts.Format(c.BranchPercent)} % ({c.BranchesCovered}/{c.BranchesValid}) |\n");
        Row("**Total**", report.Total);
        foreach (var (project, counts) in report.Projects) Row(project, counts);
        return builder.ToString();
    }
}
