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

    /// <summary>Runs the repository's tests.</summary>
    Target Test => _ => _
        .Description($"Runs the repository's tests (dotnet test on its solution); TRX results in {WorkspaceLayout.Relative.TestResults}")
        .Inputs((inputs, cancellationToken) => TestInputs.DeclareAsync(inputs, TestOptions, cancellationToken))
        .OutputFiles(WorkspaceLayout.Relative.TestResults)
        .Executes(async context =>
        {
            await BeforeTestsAsync(TestFilter, context.CancellationToken);
            var result = await new DotNetTestRunner(Log).RunAsync(TestOptions, context.CancellationToken);
            context.Note("Tests", result.CountsLine);
            Log.Info($"Test: {result.CountsLine}");
            result.EnsurePassed(TestOptions);
        });

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
    };
}
