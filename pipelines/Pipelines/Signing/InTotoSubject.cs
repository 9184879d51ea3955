namespace Pipelines.Signing;

/// <summary>One subject of a statement.</summary>
/// <param name="Name">The artifact name: for an image, the repository with its registry.</param>
/// <param name="Sha256">The hex sha256 digest, without the <c>sha256:</c> prefix.</param>
internal sealed record InTotoSubject(string Name, string Sha256);
