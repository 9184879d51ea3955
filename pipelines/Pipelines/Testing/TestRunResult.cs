namespace Pipelines.Testing;

/// <summary>Counts from the TRX files of one run.</summary>
internal sealed record TestRunResult(int Passed, int Failed, int Skipped, IReadOnlyList<string> ResultFiles, int ExitCode)
{
    /// <summary>The number of tests that ran or were skipped.</summary>
    public int Total => Passed + Failed + Skipped;

    /// <summary><c>N passed, N failed</c>, with <c>, N skipped</c> when any were.</summary>
    public string CountsLine => $"{Passed} passed, {Failed} failed" + (Skipped > 0 ? $", {Skipped} skipped" : "");
}
