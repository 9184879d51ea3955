using Pipelines.Logging;
using Pipelines;
using Pipelines.Testing;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("Only run tests matching this dotnet test --filter expression")]
    readonly string? TestFilter;

    [Parameter("Stop the test run after this long")]
    readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Runs the repository's tests.</summary>
    public virtual Target Test => _ => _
        .Description("Runs the repository's tests (dotnet test on its solution); TRX results in artifacts/test-results")
        .Inputs((inputs, cancellationToken) => TestInputs.DeclareAsync(inputs, TestOptions, cancellationToken))
        .OutputFiles("artifacts/test-results")
        .Executes(async context =>
        {
            await BeforeTestsAsync(TestFilter, context.CancellationToken);
            var result = await new DotNetTestRunner(Log).RunAsync(TestOptions, context.CancellationToken);

            context.Note("Tests", result.CountsLine);
            Log.Info($"Test: {result.CountsLine}");
            if (result.Total == 0) throw new PipelineException($"No test ran{(TestFilter is null ? "" : $": --test-filter '{TestFilter}' matched none")}.");
            if (result.Failed > 0) throw new PipelineException($"{result.Failed} test(s) failed; the TRX results are in artifacts/test-results.");
            if (result.ExitCode != 0) throw new PipelineException($"dotnet test exited with code {result.ExitCode} although no test failed; see the output above.");
        });

    /// <summary>Provisions what the tests need before they run (a build's hook; nothing by default).</summary>
    /// <param name="filter">The <c>--test-filter</c>, null for the whole suite.</param>
    /// <param name="cancellationToken">Stops the provisioning.</param>
    protected virtual Task BeforeTestsAsync(string? filter, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What <c>dotnet test</c> runs, relative to the root: by default the one solution (<c>*.sln</c>, <c>*.slnx</c>) in the root.</summary>
    protected virtual string TestSolution
    {
        get
        {
            var solutions = Directory.EnumerateFiles(RootDirectory, "*.sln").Concat(Directory.EnumerateFiles(RootDirectory, "*.slnx"))
                .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            return solutions switch
            {
                [var only] => only!,
                [] => throw new PipelineException($"Test: {RootDirectory} holds no solution (*.sln, *.slnx) to test; add one, or override TestSolution in the build."),
                _ => throw new PipelineException($"Test: {RootDirectory} holds several solutions ({string.Join(", ", solutions)}); override TestSolution in the build to name the one to test."),
            };
        }
    }

    TestRunOptions TestOptions => new(Path.Combine(RootDirectory, TestSolution), Path.Combine(ArtifactsDirectory, "test-results"))
    {
        Configuration = Configuration.ToString(),
        Filter = TestFilter,
        Timeout = TestTimeout,
    };
}
