namespace Pipelines.Analysis;

/// <summary>One series of an instant vector: its labels and value (NaN and ±Inf as Prometheus wrote them).</summary>
internal sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, DateTimeOffset Time, double Value);
