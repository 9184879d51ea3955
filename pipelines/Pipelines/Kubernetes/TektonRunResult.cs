namespace Pipelines.Kubernetes;

/// <summary>How a PipelineRun ended.</summary>
internal sealed record TektonRunResult(string Name, bool Succeeded, string Reason, string? Message, IReadOnlyDictionary<string, string> TaskStatuses);
