namespace Pipelines.Targets;

/// <summary>
/// Narrows <see cref="SecretAttribute"/> for a parameter that takes a key as PEM text or as a file path: only PEM text is
/// masked in the logs; a path is shown as given, so an error about it can name it. The parameter stays a secret for the
/// CI files (which pass it from a CI secret) and is never saved to the state.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
internal sealed class PemTextSecretAttribute : Attribute;
