namespace Pipelines.Containers;

/// <summary>One entry of a registry's JSON error body.</summary>
public sealed record RegistryError(string Code, string Message);
