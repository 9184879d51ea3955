namespace Pipelines.Targets;

/// <summary>A plan that cannot be made: unknown target, cycle.</summary>
internal sealed class PlanException(string message) : PipelineException(message);
