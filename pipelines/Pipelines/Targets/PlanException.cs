namespace Pipelines.Targets;

/// <summary>A plan that cannot be made: unknown target, cycle.</summary>
public sealed class PlanException(string message) : PipelineException(message);
