namespace Pipelines.Testing;

/// <param name="Target">The solution or project to test.</param>
/// <param name="ResultsDirectory">Where TRX files go; emptied first so that only this run is counted.</param>
internal sealed record TestRunOptions(string Target, string ResultsDirectory)
{
    /// <summary>The build configuration to test.</summary>
    public string Configuration { get; init; } = "Debug";
    /// <summary>A <c>dotnet test --filter</c> expression, or null for every test.</summary>
    public string? Filter { get; init; }
    /// <summary>Stops the test run after this long; null: no limit.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Collects line and branch coverage with coverlet.collector, which the test projects reference.</summary>
    public bool CollectCoverage { get; init; }

    /// <summary>The one solution (<c>*.sln</c>, <c>*.slnx</c>) in a folder, by file name; none or several is a problem the build must settle.</summary>
    public static string SolutionIn(string rootDirectory)
    {
        var solutions = Directory.EnumerateFiles(rootDirectory, "*.sln").Concat(Directory.EnumerateFiles(rootDirectory, "*.slnx"))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return solutions switch
        {
            [var only] => only!,
            [] => throw new PipelineException($"Test: {rootDirectory} holds no solution (*.sln, *.slnx) to test; add one, or override TestSolution in the build."),
            _ => throw new PipelineException($"Test: {rootDirectory} holds several solutions ({string.Join(", ", solutions)}); override TestSolution in the build to name the one to test."),
        };
    }
}
