using Pipelines.Testing;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Testing;

public class CoverageReportTests
{
    private static CoverageReport Merged() => CoverageReport.Merge(
        [TestPaths.TestData("coverage-reports", "unit.cobertura.xml"), TestPaths.TestData("coverage-reports", "integration.cobertura.xml")], "/repo");

    [Fact]
    public void A_file_two_test_projects_run_is_counted_once_with_each_line_covered_when_either_covered_it()
    {
        var report = Merged();

        Assert.Equal(["src/Orders.Api/Endpoints.cs", "src/Orders/Cart.cs"], report.Files.Select(f => f.Path));
        Assert.Equal(new CoverageCounts(4, 6, 3, 4), report.Files.Single(f => f.Path == "src/Orders/Cart.cs").Counts);
        Assert.Equal(new CoverageCounts(5, 10, 3, 4), report.Total);
        Assert.Equal("50.0 % lines (5/10), 75.0 % branches (3/4)", report.Total.ToString());
    }

    [Fact]
    public void Each_project_gets_its_own_figure()
    {
        var projects = Merged().Projects;

        Assert.Equal([("Orders", new CoverageCounts(4, 6, 3, 4)), ("Orders.Api", new CoverageCounts(1, 4, 0, 0))], projects);
        Assert.Equal("66.6", CoverageCounts.Format(projects[0].Counts.LinePercent));
    }

    [Fact]
    public void The_merged_report_written_as_Cobertura_reads_back_to_the_same_figures()
    {
        using var folder = new TempDirectory("coverage");
        var path = Path.Combine(folder.Path, "merged.xml");

        Merged().WriteCobertura(path, "/repo");
        var again = CoverageReport.Merge([path], "/repo");

        Assert.Equal(new CoverageCounts(5, 10, 3, 4), again.Total);
        Assert.Equal(["src/Orders.Api/Endpoints.cs", "src/Orders/Cart.cs"], again.Files.Select(f => f.Path));
        Assert.Contains("line-rate=\"0.5\"", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(749, 1000, 75.0, false)]
    [InlineData(749, 1000, 74.9, true)]
    [InlineData(750, 1000, 75.0, true)]
    public void The_gate_compares_the_unrounded_figure(int covered, int valid, double threshold, bool passes)
    {
        var lines = Enumerable.Range(1, valid).ToDictionary(n => n, n => new LineCoverage(n <= covered ? 1 : 0, 0, 0));
        var report = new CoverageReport([new FileCoverage("src/A.cs", "A", lines)]);

        var failure = new CoverageGate(threshold, null).Failure(report);

        Assert.Equal(passes, failure is null);
        if (!passes) Assert.Contains($"line coverage 74.9 % (749/1000 lines) is below --coverage-threshold {threshold} %", failure);
    }

    [Fact]
    public void A_failure_names_the_figure_the_threshold_and_the_five_least_covered_files()
    {
        var files = Enumerable.Range(1, 7).Select(i => new FileCoverage($"src/F{i}.cs", "P",
            Enumerable.Range(1, 10).ToDictionary(n => n, n => new LineCoverage(n <= i ? 1 : 0, 0, 0)))).ToList();

        var failure = new CoverageGate(80, 90).Failure(new CoverageReport(files))!;

        Assert.Contains("line coverage 40.0 % (28/70 lines) is below --coverage-threshold 80 %", failure);
        Assert.DoesNotContain("--coverage-branch-threshold", failure); // no branches count as 100 %
        Assert.Equal(["src/F1.cs", "src/F2.cs", "src/F3.cs", "src/F4.cs", "src/F5.cs"],
            failure.Split('\n').Skip(1).Select(l => l.Trim().Split(':')[0]));
        Assert.Contains("src/F1.cs: 10.0 % (9 of 10 lines uncovered)", failure);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    public void A_threshold_outside_0_to_100_is_refused_naming_the_parameter(double threshold)
    {
        var error = Assert.Throws<PipelineException>(() => new CoverageGate(null, threshold).Validate());

        Assert.Contains("--coverage-branch-threshold", error.Message);
        Assert.Contains("from 0 to 100", error.Message);
    }
}
