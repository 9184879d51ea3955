namespace Pipelines.Oci;

/// <summary>
/// A parsed, normalized image reference: <c>registry/repository[:tag][@sha256:…]</c>.
/// Follows the grammar of the distribution project's reference package: a first path component
/// is a registry host when it contains <c>.</c> or <c>:</c> or is <c>localhost</c>; otherwise the
/// image lives on Docker Hub (<c>docker.io</c>), where single-component names get <c>library/</c>.
/// </summary>
/// <example><c>nginx</c> → <c>docker.io/library/nginx</c>; <c>127.0.0.1:5000/team/app:v1</c>;
/// <c>registry.cn-shanghai.aliyuncs.com/team/app@sha256:…</c>.</example>
internal sealed partial record ImageReference
{
    /// <summary>The registry Docker Hub images normalize to.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The longest registry/repository name registries accept.</summary>
    public const int MaxNameLength = 255;

    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host, with port when given: <c>docker.io</c>, <c>127.0.0.1:5000</c>, <c>[::1]:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry: <c>library/nginx</c>, <c>team/app</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, or null when the reference has none.</summary>
    public string? Tag { get; }

    /// <summary>The manifest digest (<c>sha256:</c> + 64 hex), or null when the reference has none.</summary>
    public string? Digest { get; }

    /// <summary><c>registry/repository</c>, with Docker Hub written <c>docker.io/library/nginx</c>.</summary>
    public string RepositoryUrl => $"{Registry}/{Repository}";

    /// <summary>The short form people type: <c>nginx</c> for <c>docker.io/library/nginx</c>, else <see cref="RepositoryUrl"/>.</summary>
    public string FamiliarName =>
        Registry != DockerHub ? RepositoryUrl
        : Repository.StartsWith("library/", StringComparison.Ordinal) && Repository.Count(c => c == '/') == 1 ? Repository["library/".Length..]
        : Repository;

    /// <summary>What to ask the registry for: the digest when present, else the tag, else <c>latest</c>.</summary>
    public string ManifestReference => Digest ?? Tag ?? "latest";

    /// <summary>True when the reference pins content by digest.</summary>
    public bool HasDigest => Digest is not null;

    /// <summary>The canonical form: <c>registry/repository[:tag][@digest]</c>.</summary>
    public override string ToString() =>
        RepositoryUrl + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>The same repository with <paramref name="tag"/>; a digest, if any, is kept.</summary>
    public ImageReference WithTag(string tag)
    {
        if (!TagPattern().IsMatch(tag ?? ""))
            throw new PipelineException($"Tag '{tag}' for {RepositoryUrl} is invalid: {TagRule}.");
        return new ImageReference(Registry, Repository, tag, Digest);
    }

    /// <summary>The same repository and tag pinned to <paramref name="digest"/>.</summary>
    public ImageReference WithDigest(string digest) =>
        new(Registry, Repository, Tag, Oci.Digest.Validate(digest, $"The digest for {RepositoryUrl}"));

    /// <summary>The repository alone, without tag or digest.</summary>
    public ImageReference WithoutTagOrDigest() => new(Registry, Repository, null, null);

    /// <summary>
    /// Builds a reference from a registry (<c>host[:port]</c>, optionally followed by <c>/namespace</c>)
    /// and a repository name, validating both as <see cref="Parse"/> would.
    /// </summary>
    public static ImageReference Create(string registry, string repository, string? tag = null, string? digest = null)
    {
        var text = $"{registry.TrimEnd('/')}/{repository}"
                   + (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);
        var parsed = Parse(text);
        // "registry" must really be a host: "team" alone would silently mean Docker Hub.
        if (parsed.Registry == DockerHub && !LooksLikeHost(registry.Split('/')[0]))
            throw new PipelineException(
                $"Registry '{registry}' is not a registry host: write host[:port][/namespace], for example 127.0.0.1:5000 or registry.cn-hangzhou.aliyuncs.com/team.");
        return parsed;
    }

    /// <summary>Parses and normalizes <paramref name="reference"/>, or throws a <see cref="PipelineException"/> saying what is wrong.</summary>
    public static ImageReference Parse(string? reference)
    {
        if (TryParse(reference, out var parsed, out var error)) return parsed!;
        throw new PipelineException($"Image reference '{reference}' is invalid: {error}.");
    }

    /// <summary>Parses without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? reference, out ImageReference? parsed, out string? error)
    {
        parsed = null;
        error = Check(reference, out var result);
        parsed = result;
        return error is null;
    }
}
