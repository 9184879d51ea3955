using System.Text.RegularExpressions;

namespace Pipelines.TektonLocal;

/// <summary>
/// Tekton's <c>$(…)</c> substitution: a plain text replacement of the names it knows, bracket spellings
/// (<c>params['x']</c>, <c>params["x"]</c>) normalised to dots, anything unknown left as it is.
/// </summary>
internal static partial class TektonVariables
{
    /// <summary>Replaces every known <c>$(name)</c> in the text.</summary>
    public static string Apply(string text, IReadOnlyDictionary<string, string> values) =>
        text.Contains("$(") ? Reference().Replace(text, m => values.TryGetValue(Normalize(m.Groups[1].Value), out var v) ? v : m.Value) : text;

    /// <summary>Every <c>$(name)</c> the text references, normalised.</summary>
    public static IEnumerable<string> Names(string text) => Reference().Matches(text).Select(m => Normalize(m.Groups[1].Value));

    /// <summary>The names of the <c>$(tasks.&lt;t&gt;.results.…)</c> references in the text: the Tasks it depends on.</summary>
    public static IEnumerable<string> ReferencedTasks(string text) =>
        Reference().Matches(text).Select(m => Normalize(m.Groups[1].Value).Split('.'))
            .Where(p => p.Length >= 4 && p[0] == "tasks" && p[2] == "results").Select(p => p[1]);

    /// <summary>
    /// The <c>$(tasks.&lt;t&gt;.results.&lt;r&gt;)</c> references (and <c>$(finally.…)</c> ones, which Pipeline results
    /// may make) as (task, result) pairs; an index or <c>[*]</c> and an object key are not part of the result's name.
    /// </summary>
    public static IEnumerable<(string Task, string Result)> ResultReferences(string text) =>
        Reference().Matches(text).Select(m => Normalize(m.Groups[1].Value).Split('.'))
            .Where(p => p.Length >= 4 && p[0] is "tasks" or "finally" && p[2] == "results").Select(p => (p[1], p[3].Split('[')[0]));

    /// <summary><c>params['a.b']</c> and <c>params["a"]</c> as <c>params.a.b</c> / <c>params.a</c>.</summary>
    /// <summary>
    /// <c>inputs.params.x</c> is the pre-v1 spelling Tekton still substitutes (apply.go <c>paramPatterns</c>).
    /// </summary>
    public static string Normalize(string name)
    {
        var normalized = Bracket().Replace(name.Trim(), m => "." + m.Groups[2].Value);
        return normalized.StartsWith("inputs.params.", StringComparison.Ordinal) ? normalized["inputs.".Length..] : normalized;
    }

    [GeneratedRegex(@"\$\(([^()$]+)\)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"\[(['""])(.+?)\1\]")]
    private static partial Regex Bracket();
}
