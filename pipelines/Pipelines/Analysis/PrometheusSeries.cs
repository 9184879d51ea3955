namespace Pipelines.Analysis;

/// <summary>One series of a range query (a matrix): its labels and its points in time order.</summary>
internal sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset Time, double Value)> Points);
