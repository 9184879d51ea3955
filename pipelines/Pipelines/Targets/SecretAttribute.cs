namespace Pipelines.Targets;

/// <summary>A parameter whose value is masked in every log and never written to the state file.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
