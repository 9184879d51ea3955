using Pipelines.Workspace;
namespace Pipelines.Testing;

/// <summary>Counts from the TRX files of one run.</summary>
internal sealed record TestRunResult(int Passed, int Failed, int Skipped, IReadOnlyList<string> ResultFiles, int ExitCode)
{
    /// <summary>The number of tests that ran or were skipped.</summary>
    public int Total => Passed + Failed + Skipped;

    /// <summary>The Cobertura files coverlet wrote, one per test project; empty when coverage was not collected.</summary>
    public IReadOnlyList<string> CoverageFiles { get; init; } = [];

    /// <summary><c>N passed, N failed</c>, with <c>, N skipped</c> when any were.</summary>
    public string CountsLine => $"{Passed} passed, {Failed} failed" + (Skipped > 0 ? $", {Skipped} skipped" : "");

    /// <summary>Fails the run unless tests ran and none failed: no test at all is a failure too (a filter that matched none).</summary>
    public void EnsurePassed(TestRunOptions options)
    {
        if (Total == 0) throw new PipelineException($"No test ran{(options.Filter is null ? "" : $": --test-filter '{options.Filter}' matched none")}.");
        if (Failed > 0) throw new PipelineException($"{Failed} test(s) failed; the TRX results are in {WorkspaceLayout.Relative.TestResults}.");
        if (ExitCode != 0) throw new PipelineException($"dotnet test exited with code {ExitCode} although no test failed; see the output above.");
    }
}
