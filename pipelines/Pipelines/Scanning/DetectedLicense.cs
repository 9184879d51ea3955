namespace Pipelines.Scanning;

/// <summary>
/// A licence Trivy found (<c>Results[].Licenses[]</c>, with <c>--scanners license</c>): its SPDX name, the package (or
/// file, for a loose licence file) it belongs to, and Trivy's own severity for its category (Google's licence
/// classification: forbidden CRITICAL, restricted HIGH, reciprocal MEDIUM, notice and unencumbered LOW, unknown UNKNOWN).
/// </summary>
/// <param name="Name">The licence, e.g. <c>EPL-1.0</c>.</param>
/// <param name="Category">Trivy's category (<c>restricted</c>, <c>reciprocal</c>, …); null when absent.</param>
/// <param name="PackageName">The package; null for a licence file found on its own.</param>
/// <param name="FilePath">The licence file; null for a package's declared licence.</param>
internal sealed record DetectedLicense(string Name, string? Category, Severity Severity, string? PackageName, string? FilePath, string? Link);
