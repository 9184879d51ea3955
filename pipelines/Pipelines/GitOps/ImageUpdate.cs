namespace Pipelines.GitOps;

/// <summary>
/// The image to write into manifests. <paramref name="Name"/> is how the manifests refer to the image today
/// (a kustomization <c>images[].name</c>, or the repository part of an <c>image:</c> field);
/// <paramref name="NewName"/> is the repository to deploy (registry included), null to keep the name.
/// </summary>
/// <param name="Name">Repository as the manifests reference it, without tag or digest (<c>ghcr.io/acme/web</c>).</param>
/// <param name="NewName">Repository to deploy, or null to keep <paramref name="Name"/>.</param>
/// <param name="Tag">Tag to write, or null to leave tags alone.</param>
/// <param name="Digest">Digest to write (<c>sha256:…</c>), or null to leave digests alone.</param>
internal sealed record ImageUpdate(string Name, string? NewName, string? Tag, string? Digest)
{
    /// <summary>The repository written into manifests.</summary>
    public string Repository => NewName ?? Name;

    /// <summary><c>repository[:tag][@digest]</c>: the full reference written into <c>image:</c> fields.</summary>
    public string Reference => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>True when <paramref name="repository"/> names this image (before or after the update).</summary>
    public bool Matches(string repository) =>
        string.Equals(repository, Name, StringComparison.Ordinal) || string.Equals(repository, NewName, StringComparison.Ordinal);

    /// <summary>The repository part of an image reference: without <c>@digest</c> and without <c>:tag</c>.</summary>
    public static string RepositoryOf(string reference)
    {
        var at = reference.IndexOf('@');
        var withoutDigest = at >= 0 ? reference[..at] : reference;
        var colon = withoutDigest.LastIndexOf(':');
        return colon > withoutDigest.LastIndexOf('/') ? withoutDigest[..colon] : withoutDigest;
    }
}
