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

    /// <summary>
    /// The parameter describes one service (<c>--dockerfile</c>, <c>--objectives</c>): given while a run acts on several
    /// services it is refused before any target runs, and CI files of a build of several services leave it out (in a
    /// build of one service it is an ordinary CI setting).
    /// </summary>
    public bool PerService { get; set; }

    /// <summary>
    /// The parameter is for a developer's machine only (<c>TektonRun --local</c>, <c>RunnerImage</c>, an override of the
    /// build's Services declaration): generated CI files never carry it.
    /// </summary>
    public bool LocalOnly { get; set; }
}
