namespace Pipelines.Registry;

/// <summary>One entry of a registry's JSON error body.</summary>
public sealed record RegistryError(string Code, string Message);
