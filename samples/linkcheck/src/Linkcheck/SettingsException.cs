namespace Linkcheck;

/// <summary>A setting is missing or malformed; the message names the environment variable and the fix.</summary>
public sealed class SettingsException(string message) : Exception(message);
