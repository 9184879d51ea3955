using System.Text;
using System.Text.RegularExpressions;

namespace Pipelines.Docker;

/// <summary>
/// A <c>.dockerignore</c> matcher following Docker's documented rules: one pattern a line, <c>#</c> comments,
/// Go <c>filepath.Match</c> syntax (<c>*</c>, <c>?</c>, <c>[…]</c>, <c>\</c> escapes) plus <c>**</c> for any
/// number of directories, <c>!</c> for exceptions, the last matching line wins, and a pattern that matches a
/// directory excludes everything under it.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly IReadOnlyList<Rule> _rules;

    private DockerIgnore(IReadOnlyList<Rule> rules) => _rules = rules;

    /// <summary>A matcher that excludes nothing.</summary>
    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>Whether any line is an exception (<c>!pattern</c>): then excluded folders must still be walked.</summary>
    public bool HasExceptions => _rules.Any(r => r.Exception);

    /// <summary>
    /// Whether an excluded folder must still be walked because an exception could bring back something inside
    /// it: as the docker CLI decides, when an exception pattern starts with the folder's path.
    /// </summary>
    public bool MayIncludeUnder(string relativeDirectory)
    {
        var prefix = Clean(relativeDirectory) + "/";
        return _rules.Any(r => r.Exception && (r.Pattern + "/").StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>Reads <c>.dockerignore</c> from a context folder; <see cref="Empty"/> when there is none.</summary>
    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : Empty;
    }

    /// <summary>Parses the text of a <c>.dockerignore</c> file.</summary>
    public static DockerIgnore Parse(string text)
    {
        var rules = new List<Rule>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('#')) continue;
            line = line.Trim();
            if (line.Length == 0) continue;
            var exception = line.StartsWith('!');
            if (exception) line = line[1..].Trim();
            var pattern = Clean(line);
            if (pattern.Length == 0) continue;
            rules.Add(new Rule(pattern, exception, Compile(pattern)));
        }
        return new DockerIgnore(rules);
    }

    /// <summary>
    /// Whether a context path (relative, <c>/</c>-separated) is excluded: the last line that matches the
    /// path or one of its parent folders decides.
    /// </summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        var excluded = false;
        foreach (var rule in _rules)
            if (Matches(rule.Regex, path)) excluded = !rule.Exception;
        return excluded;
    }

    private static bool Matches(Regex regex, string path)
    {
        if (regex.IsMatch(path)) return true;
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            if (regex.IsMatch(path[..slash])) return true;
        return false;
    }

    /// <summary>Go's <c>filepath.Clean</c> on a slash path, without the leading <c>/</c> (the context root).</summary>
    private static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>Translates a pattern to an anchored regular expression the way moby's patternmatcher does.</summary>
    private static Regex Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    // "**/" is read as "**"; "**" at the end matches everything below.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;
                    regex.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) throw new PipelineException($".dockerignore pattern '{pattern}' has an unclosed '[': close the character class or escape it as \\[.");
                    var body = pattern[(i + 1)..close];
                    if (body.StartsWith('^') || body.StartsWith('!')) body = "^" + body[1..].Replace("\\", "\\\\");
                    else body = body.Replace("\\", "\\\\");
                    regex.Append('[').Append(body).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        regex.Append('$');
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    private sealed record Rule(string Pattern, bool Exception, Regex Regex);
}
