namespace Pipelines.Components;

/// <summary>The build configuration for tests and the .NET publish step.</summary>
public enum Configuration
{
    /// <summary>Debug.</summary>
    Debug,
    /// <summary>Release.</summary>
    Release,
}
