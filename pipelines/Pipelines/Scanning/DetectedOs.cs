namespace Pipelines.Scanning;

/// <summary>The operating system Trivy detected in the image (<c>Metadata.OS</c>).</summary>
/// <param name="Family">e.g. <c>alpine</c>, <c>debian</c>; <c>none</c> when Trivy found none.</param>
/// <param name="Name">The release, e.g. <c>3.10.2</c>.</param>
/// <param name="EndOfSupport">True when the release no longer gets security fixes (<c>EOSL</c>).</param>
internal sealed record DetectedOs(string Family, string? Name, bool EndOfSupport);
