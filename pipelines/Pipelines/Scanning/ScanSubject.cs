namespace Pipelines.Scanning;

/// <summary>What Scan looks at: a pushed image by digest, or the local image a build without --push left.</summary>
/// <param name="Image">What Trivy is given: <c>ref@sha256:…</c>, or a local <c>repository:tag</c>.</param>
/// <param name="Identity">What the verdict records: the digest, or the local image ID.</param>
/// <param name="IsLocal">True for a local image (built with <c>--push false</c>): its verdict can never clear a deploy.</param>
internal sealed record ScanSubject(string Image, string Identity, bool IsLocal);
