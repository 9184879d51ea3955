namespace Pipelines.Scanning;

/// <summary>What kind of problem a <see cref="Finding"/> is.</summary>
internal enum FindingKind
{
    /// <summary>A vulnerable package.</summary>
    Vulnerability,
    /// <summary>A secret found in the image's files.</summary>
    Secret,
    /// <summary>A failed configuration check.</summary>
    Misconfiguration,
    /// <summary>A package's (or a file's) licence, at the severity Trivy gives its category.</summary>
    License,
}
