namespace Pipelines.Generators;

/// <summary>A file the generator writes: its path relative to the repository root (with <c>/</c>) and its exact content.</summary>
internal sealed record GeneratedFile(string RelativePath, string Content);
