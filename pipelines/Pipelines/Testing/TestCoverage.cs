using System.Text;
using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Testing;

/// <summary>A run's merged coverage and how Test shows it.</summary>
/// <param name="Report">The merged report, also written to <see cref="WorkspaceLayout.CoverageReportFile"/>.</param>
/// <param name="Figure">Line coverage in percent, one decimal rounded down: the <see cref="TestCoverage.Output"/>.</param>
/// <param name="Note">The summary table's note: the total and each project.</param>
/// <param name="Markdown">The step summary's table.</param>
internal sealed record RecordedCoverage(CoverageReport Report, string Figure, string Note, string Markdown);

/// <summary>
/// What Test does with the coverage of a run: merges the test projects' Cobertura files into
/// <see cref="WorkspaceLayout.CoverageReportFile"/> and says the total and each project's figure.
/// </summary>
internal sealed class TestCoverage(WorkspaceLayout layout, ILog log)
{
    /// <summary>Test's output: the line coverage in percent (<c>81.2</c>), empty when coverage was not collected; written on every path, so a Tekton result always exists.</summary>
    public const string Output = "COVERAGE";

    /// <summary>Merges and writes the run's coverage; null when it was not collected (and the previous report is gone).</summary>
    public RecordedCoverage? Record(TestRunResult result)
    {
        if (Directory.Exists(layout.CoverageDirectory)) Directory.Delete(layout.CoverageDirectory, recursive: true);
        if (result.CoverageFiles.Count == 0) return null;
        var report = CoverageReport.Merge(result.CoverageFiles, layout.Root);
        report.WriteCobertura(layout.CoverageReportFile, layout.Root);
        var projects = string.Join(", ", report.Projects.Select(p => $"{p.Project} {CoverageCounts.Format(p.Counts.LinePercent)} %"));
        var note = $"{report.Total}; {projects}";
        log.Info($"Coverage: {note}; merged report in {WorkspaceLayout.Relative.CoverageReport}");
        return new RecordedCoverage(report, CoverageCounts.Format(report.Total.LinePercent), note, Markdown(report));
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
