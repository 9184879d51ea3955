namespace Pipelines.Testing;

/// <param name="Target">The solution or project to test.</param>
/// <param name="ResultsDirectory">Where TRX files go; emptied first so that only this run is counted.</param>
public sealed record TestRunOptions(string Target, string ResultsDirectory)
{
    public string Configuration { get; init; } = "Debug";
    /// <summary>A <c>dotnet test --filter</c> expression, or null for every test.</summary>
    public string? Filter { get; init; }
    public TimeSpan? Timeout { get; init; }
}
