namespace Pipelines.Generators;

/// <summary>One target as the generators see it: name, description, dependencies and declared outputs.</summary>
internal sealed record TargetShape(string Name, string? Description, IReadOnlyList<string> DependsOn, IReadOnlyList<string> Outputs)
{
    /// <summary>The target's name in Kubernetes resource names: <c>GenerateKey</c> → <c>generate-key</c>.</summary>
    public string KebabName => Targets.ParameterDescriptor.ToKebab(Name);
}
