namespace Pipelines.Generators;

/// <summary>A setting some targets cannot do without on CI, where no local default applies.</summary>
/// <param name="EnvironmentName">The parameter's environment name: the GitHub variable and the ConfigMap key.</param>
/// <param name="Value">The value the run has; null or empty: missing.</param>
/// <param name="Targets">The targets that need it.</param>
internal sealed record CiSetting(string EnvironmentName, string? Value, IReadOnlyList<string> Targets);
