namespace Pipelines.Targets;

/// <summary>What the user asked for: targets to invoke, and what <c>--skip</c> said.</summary>
/// <param name="Invoked">Targets named on the command line (empty: the default target).</param>
/// <param name="Skip">Null without <c>--skip</c>; empty for a bare <c>--skip</c>; otherwise the named targets.</param>
internal sealed record PlanRequest(IReadOnlyList<string> Invoked, IReadOnlyList<string>? Skip = null);
