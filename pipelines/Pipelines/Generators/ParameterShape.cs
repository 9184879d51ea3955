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
    string? DefaultText);
