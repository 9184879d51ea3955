using Pipelines.Workspace;
using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Testing;
using Pipelines.Logging;

namespace Pipelines.Components;

/// <summary>The Test stage: <c>dotnet test</c> on the repository's solution, cached on everything git knows.</summary>
public interface ITest : IPipelineBuild
{
    [Parameter("Build configuration for tests and publishing: debug or release")]
    Configuration Configuration => ValueOf(() => Configuration, Configuration.Debug);

    [Parameter("Only run tests matching this dotnet test --filter expression")]
    string? TestFilter => ValueOf(() => TestFilter, null);

    [Parameter("Stop the test run after this long")]
    TimeSpan TestTimeout => ValueOf(() => TestTimeout, TimeSpan.FromMinutes(30));

    [Parameter("Collect line and branch coverage (coverlet.collector) into " + WorkspaceLayout.Relative.CoverageReport + "; on whenever a coverage threshold is set")]
    bool Coverage => ValueOf(() => Coverage, false);

    [Parameter("Test fails below this line coverage, in percent (0-100), naming the least-covered files; off unless set")]
    double? CoverageThreshold => ValueOf(() => CoverageThreshold, null);

    [Parameter("Test fails below this branch coverage, in percent (0-100); off unless set")]
    double? CoverageBranchThreshold => ValueOf(() => CoverageBranchThreshold, null);

    /// <summary>Runs the repository's tests.</summary>
    Target Test => _ => _
        .Description($"Runs the repository's tests (dotnet test on its solution); TRX results in {WorkspaceLayout.Relative.TestResults}, coverage in {WorkspaceLayout.Relative.Coverage}")
        .Requires(_ => { CoverageGate.Validate(); return Task.CompletedTask; })
        .Inputs((inputs, cancellationToken) => TestInputs.DeclareAsync(inputs, TestOptions, CoverageGate, cancellationToken))
        .Produces(TestCoverage.Output)
        .OutputFiles(WorkspaceLayout.Relative.TestResults, WorkspaceLayout.Relative.Coverage)
        .Executes(async context =>
        {
            await BeforeTestsAsync(TestFilter, context.CancellationToken);
            var result = await new DotNetTestRunner(Log).RunAsync(TestOptions, context.CancellationToken);
            context.Note("Tests", result.CountsLine);
            Log.Info($"Test: {result.CountsLine}");
            var coverage = new TestCoverage(Layout, Log).Record(result);
            context.Publish(TestCoverage.Output, coverage?.Figure ?? "");
            if (coverage is not null)
            {
                context.Note("Coverage", coverage.Note);
                Host.AppendSummary(coverage.Markdown);
            }
            result.EnsurePassed(TestOptions);
            if (coverage is null && CoverageGate.IsSet) throw new PipelineException(CoverageGate.NoCoverage);
            if (coverage is not null && CoverageGate.Failure(coverage.Report) is { } failure) throw new PipelineException(failure);
        });

    /// <summary>The coverage thresholds, from <c>--coverage-threshold</c> and <c>--coverage-branch-threshold</c>.</summary>
    internal CoverageGate CoverageGate => new(CoverageThreshold, CoverageBranchThreshold);

    /// <summary>Provisions what the tests need before they run (a build's hook; nothing by default).</summary>
    /// <param name="filter">The <c>--test-filter</c>, null for the whole suite.</param>
    /// <param name="cancellationToken">Stops the provisioning.</param>
    Task BeforeTestsAsync(string? filter, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What <c>dotnet test</c> runs, relative to the root: by default the one solution (<c>*.sln</c>, <c>*.slnx</c>) in the root.</summary>
    string TestSolution => TestRunOptions.SolutionIn(RootDirectory);

    /// <summary>What one test run runs, where its results go, and its filter and time limit.</summary>
    internal TestRunOptions TestOptions => new(Path.Combine(RootDirectory, TestSolution), Layout.TestResultsDirectory)
    {
        Configuration = Configuration.ToString(),
        Filter = TestFilter,
        Timeout = TestTimeout,
        CollectCoverage = Coverage || CoverageGate.IsSet,
    };
}
