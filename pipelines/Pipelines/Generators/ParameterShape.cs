namespace Pipelines.Generators;

/// <summary>One build parameter as the generators see it.</summary>
/// <param name="DefaultText">The member's initial value as typed on a command line; null when it has none or it depends on the machine (paths).</param>
internal sealed record ParameterShape(
    string MemberName,
    string CliName,
    string EnvironmentName,
    string Description,
    bool IsSecret,
    string TypeName,
    string? DefaultText)
{
    /// <summary>A parameter for a developer's machine only: CI files never carry it.</summary>
    public bool IsLocalOnly { get; init; }
    /// <summary>A parameter that describes one service: CI files of a build of several services leave it out.</summary>
    public bool IsPerService { get; init; }
}
