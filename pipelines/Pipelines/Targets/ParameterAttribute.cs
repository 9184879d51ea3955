namespace Pipelines.Targets;

/// <summary>
/// Marks a field or property of a build class as a parameter: bound from <c>--kebab-name</c>,
/// then the environment variable <c>UPPER_SNAKE_NAME</c>, then the member's initial value.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    /// <summary>Shown in <c>--help</c> and the generated CI files.</summary>
    public string Description { get; } = description;
}
