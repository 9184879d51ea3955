namespace Pipelines.Registry;

/// <summary>One entry of a registry's JSON error body.</summary>
internal sealed record RegistryError(string Code, string Message);
