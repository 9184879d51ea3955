namespace Pipelines.Targets;

/// <summary>
/// Narrows <see cref="SecretAttribute"/> for a parameter that takes a key or the path of its file: a value that is
/// plausibly a path (<see cref="Signing.KeyText.IsPlausiblePath"/>) is shown in the logs as given, so an error about it
/// can name it; anything else (PEM text, a base64-encoded key) is masked. The parameter stays a secret for the CI files
/// (which pass it from a CI secret) and is never saved to the state.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
internal sealed class KeyOrPathSecretAttribute : Attribute;
