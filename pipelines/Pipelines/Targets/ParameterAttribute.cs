namespace Pipelines.Targets;

/// <summary>
/// Marks a field or property of a build class as a parameter: bound from <c>--kebab-name</c>,
/// then the environment variable <c>PIPELINE_UPPER_SNAKE_NAME</c> (or its <see cref="EnvironmentAlias"/>),
/// then the member's initial value.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    /// <summary>Shown in <c>--help</c> and the generated CI files.</summary>
    public string Description { get; } = description;

    /// <summary>
    /// The name the parameter's ecosystem defines for it (<c>GITHUB_TOKEN</c>, <c>KUBECONFIG</c>, <c>COSIGN_PASSWORD</c>),
    /// read after the prefixed name; generic names are never bound, so an unrelated variable cannot change a deploy.
    /// </summary>
    public string? EnvironmentAlias { get; set; }
}
