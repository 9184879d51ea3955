namespace Pipelines.Components;

/// <summary>The Pipeline TektonRun starts (<c>--pipeline</c>) and the params that choice adds to the source's.</summary>
/// <param name="Name">The Pipeline's name in the cluster: the build's name, or <c>&lt;name&gt;-promote</c>.</param>
/// <param name="Manual">A Pipeline started by hand (promote, rollback): no caches, no commit status.</param>
/// <param name="Parameters">The manual Pipeline's params from this run's options, e.g. <c>from</c> and <c>environment</c>.</param>
internal sealed record TektonPipelineChoice(string Name, bool Manual, IReadOnlyDictionary<string, string> Parameters);
