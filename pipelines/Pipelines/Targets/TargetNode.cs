namespace Pipelines.Targets;

/// <summary>The shape of one target as far as planning is concerned.</summary>
internal sealed record TargetNode(
    string Name,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<string>? After = null,
    IReadOnlyList<string>? Before = null)
{
    /// <summary>Targets this one runs after when both are planned.</summary>
    public IReadOnlyList<string> After { get; init; } = After ?? [];
    /// <summary>Targets this one runs before when both are planned.</summary>
    public IReadOnlyList<string> Before { get; init; } = Before ?? [];
}
