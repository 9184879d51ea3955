namespace Pipelines.Signing;

/// <summary>A source repository at a commit.</summary>
/// <param name="Uri">The repository URL (credentials removed).</param>
/// <param name="Commit">The full commit hash.</param>
internal sealed record SourceRevision(string Uri, string Commit);
