namespace Pipelines.Workspace;

/// <summary>HEAD of a git checkout: the repository and commit provenance names, and the facts an image is tagged and labelled with.</summary>
/// <param name="Uri">The repository as an RFC 3986 URI, credentials removed: the <c>origin</c> remote, or the directory as <c>file://</c> without one.</param>
/// <param name="Commit">The full commit hash of HEAD.</param>
internal sealed record SourceRevision(string Uri, string Commit)
{
    /// <summary>The 12-character short commit.</summary>
    public string ShortCommit => Commit[..Math.Min(12, Commit.Length)];

    /// <summary>The branch name, or null on a detached HEAD outside GitHub Actions (which names the branch in its environment).</summary>
    public string? Branch { get; init; }

    /// <summary>The tags pointing at HEAD, in ordinal order.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The commit's committer date: stable across rebuilds of the same commit, unlike the clock.</summary>
    public DateTimeOffset CommitTime { get; init; }

    /// <summary>The <c>origin</c> remote as configured (an scp-like <c>git@host:org/app.git</c> stays so), credentials removed; null without one.</summary>
    public string? Origin { get; init; }

    /// <summary>Equal when every fact is, the tags compared by content.</summary>
    public bool Equals(SourceRevision? other) =>
        other is not null && Uri == other.Uri && Commit == other.Commit && Branch == other.Branch
        && Tags.SequenceEqual(other.Tags) && CommitTime == other.CommitTime && Origin == other.Origin;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Uri, Commit, Branch, Tags.Count, CommitTime, Origin);
}
