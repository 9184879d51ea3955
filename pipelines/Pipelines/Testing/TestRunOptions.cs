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
}
