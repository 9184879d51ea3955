namespace Pipelines.Scanning;

/// <summary>
/// What the state records about a scan (<c>records.scan</c>), so that Deploy can require a passing scan of
/// the exact digest it deploys. Written as not-passed before the scan starts, so a scan that did not finish
/// never leaves an earlier pass behind.
/// </summary>
/// <param name="ImageDigest"><c>sha256:…</c> of the scanned image.</param>
/// <param name="TrivyVersion">Null when the scan never reached Trivy.</param>
internal sealed record ScanVerdict(string ImageDigest, string Image, bool Passed, SeverityCounts Counts, string? TrivyVersion, DateTimeOffset ScannedAt)
{
    /// <summary>The key under which the state keeps it.</summary>
    public const string StateKey = "scan";

    /// <summary>True when this verdict is a pass for <paramref name="digest"/>.</summary>
    public bool PassedFor(string digest) => Passed && string.Equals(ImageDigest, digest, StringComparison.Ordinal);
}
