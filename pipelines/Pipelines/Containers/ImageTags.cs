using System.Text.RegularExpressions;
using Pipelines.Workspace;

namespace Pipelines.Containers;

/// <summary>The tags an image gets: the short commit, the branch made tag-safe, and the semver of a <c>v*</c> tag.</summary>
internal static partial class ImageTags
{
    /// <summary>Tags for a revision, the commit first, without duplicates.</summary>
    public static IReadOnlyList<string> For(SourceRevision revision)
    {
        var tags = new List<string> { revision.ShortCommit };
        if (revision.Branch is { } branch && Sanitize(branch) is { Length: > 0 } safe) tags.Add(safe);
        if (Version(revision) is { } version) tags.Add(Sanitize(version));
        return tags.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The highest semver among the <c>v*</c> tags on the commit (without the <c>v</c>), or null; 1.10.0 is above 1.9.0, a release above its pre-releases.</summary>
    public static string? Version(SourceRevision revision) =>
        revision.Tags.Where(t => t.StartsWith('v')).Select(t => t[1..])
            .Where(IsSemVer)
            .Select(v => (Text: v, Core: v.Split('-', '+')[0].Split('.').Select(long.Parse).ToArray()))
            .OrderByDescending(v => v.Core[0]).ThenByDescending(v => v.Core[1]).ThenByDescending(v => v.Core[2])
            .ThenBy(v => v.Text.Split('+')[0].Contains('-'))
            .ThenByDescending(v => v.Text, StringComparer.Ordinal)
            .Select(v => v.Text)
            .FirstOrDefault();

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
