using Pipelines;
using Pipelines.Hosts;
using Pipelines.Testing;
using Pipelines.Targets;

partial class Build
{
    [Parameter("Only run tests matching this dotnet test --filter expression")]
    readonly string? TestFilter;

    [Parameter("Stop the test run after this long")]
    readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(30);

    Target Test => _ => _
        .Description("Runs the toolkit's, the build's and the sample service's tests; TRX results in artifacts/test-results")
        .Inputs((inputs, cancellationToken) => TestInputs.DeclareAsync(inputs, TestOptions, cancellationToken))
        .OutputFiles("artifacts/test-results")
        .Executes(async context =>
        {
            // The whole suite needs the validators, a registry and Prometheus: provision what can be, name the rest.
            if (TestFilter is null) await new TestPrerequisites(Log).EnsureAsync(RootDirectory, context.CancellationToken);
            var result = await new DotNetTestRunner(Log).RunAsync(TestOptions, context.CancellationToken);

            context.Note("Tests", result.CountsLine);
            Log.Info($"Test: {result.CountsLine}");
            if (result.Total == 0) throw new PipelineException($"No test ran{(TestFilter is null ? "" : $": --test-filter '{TestFilter}' matched none")}.");
            if (result.Failed > 0) throw new PipelineException($"{result.Failed} test(s) failed; the TRX results are in artifacts/test-results.");
            if (result.ExitCode != 0) throw new PipelineException($"dotnet test exited with code {result.ExitCode} although no test failed; see the output above.");
        });

    TestRunOptions TestOptions => new(Path.Combine(RootDirectory, "Pipeline.sln"), Path.Combine(ArtifactsDirectory, "test-results"))
    {
        Configuration = Configuration.ToString(),
        Filter = TestFilter,
        Timeout = TestTimeout,
    };
}
