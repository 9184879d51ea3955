using Pipelines.Components;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Testing;

/// <summary>
/// The Test target against a real, tiny solution (testdata/coverage: four coverable lines, three tested, 75.0 %),
/// with the real <c>dotnet test</c> and coverlet.collector.
/// </summary>
public sealed class CoverageGateTests : IDisposable
{
    private sealed class TestOnlyBuild : PipelineBuild, ITest;

    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Test_fails_just_above_the_projects_coverage_passes_at_it_and_a_cached_Test_still_reports_it()
    {
        await CopySolutionAsync();

        var above = await _harness.RunAsync(new TestOnlyBuild(), "Test", "--coverage-threshold", "75.1");

        Assert.True(above == BuildRunner.Failure, _harness.Text);
        Assert.Contains("line coverage 75.0 % (3/4 lines) is below --coverage-threshold 75.1 %", _harness.Text);
        Assert.Contains("Calc/Arithmetic.cs: 75.0 % (1 of 4 lines uncovered)", _harness.Text);

        var at = await _harness.RunAsync(new TestOnlyBuild(), "Test", "--coverage-threshold", "75");

        Assert.True(at == BuildRunner.Success, _harness.Text);
        var layout = new WorkspaceLayout(_harness.Root);
        Assert.Equal("75.0", PipelineState.Load(layout.StateFile).Get("COVERAGE"));
        Assert.Contains("lines-covered=\"3\" lines-valid=\"4\" branches-covered=\"1\" branches-valid=\"2\"", File.ReadAllText(layout.CoverageReportFile));
        Assert.Contains("Coverage: 75.0 % lines (3/4), 50.0 % branches (1/2); Calc 75.0 %", _harness.Text);

        File.Delete(layout.StateFile);
        Directory.Delete(layout.CoverageDirectory, recursive: true);
        _harness.Output.GetStringBuilder().Clear();
        var cached = await _harness.RunAsync(new TestOnlyBuild(), "Test", "--coverage-threshold", "75");

        Assert.True(cached == BuildRunner.Success, _harness.Text);
        Assert.Contains("Test skipped: cached", _harness.Text);
        Assert.Equal("75.0", PipelineState.Load(layout.StateFile).Get("COVERAGE"));
        Assert.Contains("Coverage: 75.0 % lines (3/4)", _harness.Text);
        Assert.True(File.Exists(layout.CoverageReportFile), "the cache puts the merged report back");
    }

    [Fact]
    public async Task A_builds_own_default_threshold_gates_Test_and_the_command_line_overrides_it()
    {
        // The template's build sets its threshold this way (templates/gitops-pipeline/build/Build.cs).
        await CopySolutionAsync();

        var byDefault = await _harness.RunAsync(new GatedBuild(), "Test");

        Assert.True(byDefault == BuildRunner.Failure, _harness.Text);
        Assert.Contains("line coverage 75.0 % (3/4 lines) is below --coverage-threshold 75.1 %", _harness.Text);

        var overridden = await _harness.RunAsync(new GatedBuild(), "Test", "--coverage-threshold", "75");

        Assert.True(overridden == BuildRunner.Success, _harness.Text);
    }

    [Fact]
    public async Task A_threshold_with_no_coverage_collected_fails_instead_of_passing_unmeasured()
    {
        await CopySolutionAsync(withoutCoverlet: true);

        var exit = await _harness.RunAsync(new TestOnlyBuild(), "Test", "--coverage-threshold", "75");

        Assert.True(exit == BuildRunner.Failure, _harness.Text);
        Assert.Contains("no test project wrote a coverage report. Reference coverlet.collector", _harness.Text);
    }

    private sealed class GatedBuild : PipelineBuild, ITest
    {
        double? ITest.CoverageThreshold => ValueOf(() => ((ITest)this).CoverageThreshold, 75.1);
    }

    [Theory]
    [InlineData("--coverage-threshold", "101", "a threshold is a percentage from 0 to 100")]
    [InlineData("--coverage-branch-threshold", "-5", "a threshold is a percentage from 0 to 100")]
    [InlineData("--coverage-threshold", "seventy", "is not a number")]
    public async Task A_threshold_that_is_no_percentage_is_refused_before_any_target_runs(string parameter, string value, string message)
    {
        var exit = await _harness.RunAsync(new TestOnlyBuild(), "Test", parameter, value);

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains(message, _harness.Text);
        Assert.DoesNotContain("═══ Test", _harness.Text);
    }

    private async Task CopySolutionAsync(bool withoutCoverlet = false)
    {
        var source = TestPaths.TestData("coverage");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_harness.Root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        if (withoutCoverlet)
        {
            var project = Path.Combine(_harness.Root, "Calc.Tests", "Calc.Tests.csproj");
            var text = await File.ReadAllTextAsync(project);
            Assert.Contains("coverlet.collector", text);
            await File.WriteAllTextAsync(project, System.Text.RegularExpressions.Regex.Replace(text, @"\s*<PackageReference Include=""coverlet\.collector""[^>]*/>", ""));
        }
        await File.WriteAllTextAsync(Path.Combine(_harness.Root, ".gitignore"), "bin/\nobj/\nartifacts/\n.gitops/\n");
        await TestGit.OutputAsync(_harness.Root, "init", "-q", "-b", "main");
        await TestGit.OutputAsync(_harness.Root, "add", "-A");
        await TestGit.OutputAsync(_harness.Root, "commit", "-q", "-m", "calc");
    }
}
