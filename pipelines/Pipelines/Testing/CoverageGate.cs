namespace Pipelines.Testing;

/// <summary>
/// The coverage gate: the least line (and, when given, branch) coverage a test run must reach, in percent. The one
/// owner of what a threshold may be and of the message a run below it fails with.
/// </summary>
/// <param name="Line">The least line coverage, or null for none.</param>
/// <param name="Branch">The least branch coverage, or null for none.</param>
internal sealed record CoverageGate(double? Line, double? Branch)
{
    /// <summary>How many of the least-covered files a failure names.</summary>
    public const int FilesNamed = 5;

    /// <summary>True when any threshold is set: the run then collects coverage whatever <c>--coverage</c> says.</summary>
    public bool IsSet => Line is not null || Branch is not null;

    /// <summary>Refuses a threshold that is no percentage, naming the parameter.</summary>
    public void Validate()
    {
        Check(Line, "coverage-threshold");
        Check(Branch, "coverage-branch-threshold");

        static void Check(double? value, string parameter)
        {
            if (value is { } v && (double.IsNaN(v) || v < 0 || v > 100))
                throw new PipelineException($"--{parameter} {v}: a threshold is a percentage from 0 to 100, e.g. --{parameter} 75.");
        }
    }

    /// <summary>
    /// Why a run with a threshold that collected no coverage at all fails: no test project references coverlet.collector,
    /// and a gate that measured nothing must not pass.
    /// </summary>
    public string NoCoverage =>
        "Coverage: a coverage threshold is set (--coverage-threshold or --coverage-branch-threshold), but no test project wrote a coverage report. " +
        "Reference coverlet.collector in each test project (<PackageReference Include=\"coverlet.collector\" Version=\"6.0.4\" />), or unset the threshold.";

    /// <summary>Null when the report reaches every threshold; otherwise why not, with the least-covered files.</summary>
    public string? Failure(CoverageReport report)
    {
        var total = report.Total;
        var misses = new List<string>();
        if (Line is { } line && total.LinePercent < line)
            misses.Add($"line coverage {CoverageCounts.Format(total.LinePercent)} % ({total.LinesCovered}/{total.LinesValid} lines) is below --coverage-threshold {line} %");
        if (Branch is { } branch && total.BranchPercent < branch)
            misses.Add($"branch coverage {CoverageCounts.Format(total.BranchPercent)} % ({total.BranchesCovered}/{total.BranchesValid} branches) is below --coverage-branch-threshold {branch} %");
        if (misses.Count == 0) return null;
        var files = report.LeastCovered(FilesNamed).Select(f =>
            $"  {f.Path}: {CoverageCounts.Format(f.Counts.LinePercent)} % ({f.Counts.LinesValid - f.Counts.LinesCovered} of {f.Counts.LinesValid} lines uncovered)");
        return $"Coverage: {string.Join("; ", misses)}. Add tests for the least-covered files, or lower the threshold:\n{string.Join("\n", files)}";
    }
}
