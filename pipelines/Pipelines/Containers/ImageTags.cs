using System.Text.RegularExpressions;

namespace Pipelines.Containers;

/// <summary>The tags an image gets: the short commit, the branch made tag-safe, and the semver of a <c>v*</c> tag.</summary>
internal static partial class ImageTags
{
    /// <summary>Tags for a revision, the commit first, without duplicates.</summary>
    public static IReadOnlyList<string> For(GitRevision revision)
    {
        var tags = new List<string> { revision.ShortCommit };
        if (revision.Branch is { } branch && Sanitize(branch) is { Length: > 0 } safe) tags.Add(safe);
        if (revision.Version is { } version) tags.Add(Sanitize(version));
        return tags.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A string as a Docker tag (<c>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}</c>): other characters become <c>-</c>,
    /// leading dots and dashes go, and it is cut at 128 characters. <c>feature/Login</c> → <c>feature-login</c>.
    /// </summary>
    public static string Sanitize(string value)
    {
        var tag = InvalidCharacters().Replace(value.ToLowerInvariant(), "-").TrimStart('.', '-');
        return tag.Length > 128 ? tag[..128] : tag;
    }

    /// <summary>Whether a string is a semantic version (2.0.0), e.g. <c>1.4.0</c> or <c>2.0.0-rc.1+build.5</c>.</summary>
    public static bool IsSemVer(string value) => SemVer().IsMatch(value);

    [GeneratedRegex("[^a-z0-9_.-]")]
    private static partial Regex InvalidCharacters();

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();
}
