namespace Pipelines.Packaging;

/// <summary>What a pack wrote: every package at one version.</summary>
/// <param name="Version">The version every package carries.</param>
/// <param name="Packages">The packages, in the order of <see cref="PackOptions.Projects"/>.</param>
public sealed record PackResult(string Version, IReadOnlyList<PackedPackage> Packages);
