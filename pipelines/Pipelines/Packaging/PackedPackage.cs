namespace Pipelines.Packaging;

/// <summary>One package <see cref="PackageBuilder"/> wrote.</summary>
/// <param name="Id">The package id, read from its .nuspec.</param>
/// <param name="Version">The package version, read from its .nuspec.</param>
/// <param name="Path">The .nupkg file.</param>
/// <param name="SymbolsPath">The .snupkg beside it, or null when the project packs no symbols.</param>
public sealed record PackedPackage(string Id, string Version, string Path, string? SymbolsPath);
