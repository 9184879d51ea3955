using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipelines.Generators;

/// <summary>
/// Writes <see cref="YamlMap"/> documents as block YAML: two-space indentation, sequences at their
/// key's indentation (the kubectl style), plain scalars where YAML reads them back as the same string,
/// single quotes otherwise, literal blocks for multi-line strings. Deterministic, so snapshots compare
/// byte for byte.
/// </summary>
internal static partial class YamlWriter
{
    /// <summary>Header comment lines, then the documents separated by <c>---</c>.</summary>
    public static string Write(IReadOnlyList<string> headerComments, params YamlMap[] documents)
    {
        var builder = new StringBuilder();
        foreach (var comment in headerComments) builder.Append("# ").Append(comment).Append('\n');
        for (var i = 0; i < documents.Length; i++)
        {
            if (i > 0) builder.Append("---\n");
            foreach (var line in MapLines(documents[i], 0)) builder.Append(line).Append('\n');
        }
        return builder.ToString();
    }

    private static IEnumerable<string> MapLines(YamlMap map, int indent)
    {
        var pad = new string(' ', indent);
        foreach (var (key, value) in map)
        {
            // Keys stay plain where YAML allows (GitHub's "on" key is read as a string by GitHub and YAML 1.2).
            var prefix = pad + (PlainPattern().IsMatch(key) ? key : Scalar(key)) + ":";
            foreach (var line in ValueLines(prefix, value, indent, indent + 2)) yield return line;
        }
    }

    /// <summary>Lines for a value that follows <paramref name="prefix"/> (a key or a dash).</summary>
    private static IEnumerable<string> ValueLines(string prefix, object value, int sequenceIndent, int childIndent)
    {
        switch (value)
        {
            case YamlMap { Count: 0 }:
                yield return prefix + " {}";
                break;
            case YamlMap child:
                yield return prefix;
                foreach (var line in MapLines(child, childIndent)) yield return line;
                break;
            case string text when text.Contains('\n') && FitsLiteralBlock(text):
                // Literal block: "|" keeps the final newline, "|-" says there is none.
                yield return prefix + (text.EndsWith('\n') ? " |" : " |-");
                var body = text.EndsWith('\n') ? text[..^1] : text;
                foreach (var line in body.Split('\n'))
                    yield return line.Length == 0 ? "" : new string(' ', childIndent) + line;
                break;
            case CommentedValue commented:
                yield return $"{prefix} {Scalar(commented.Value)} # {commented.Comment}";
                break;
            case string or bool or int or long:
                yield return prefix + " " + Scalar(value);
                break;
            case IEnumerable sequence:
                var items = sequence.Cast<object>().ToList();
                if (items.Count == 0)
                {
                    yield return prefix + " []";
                    break;
                }
                yield return prefix;
                foreach (var item in items)
                    foreach (var line in ItemLines(item, sequenceIndent)) yield return line;
                break;
            default:
                throw new ArgumentException($"YAML value of type {value.GetType().Name} is not supported.");
        }
    }

    private static IEnumerable<string> ItemLines(object item, int indent)
    {
        var dash = new string(' ', indent) + "-";
        if (item is YamlMap { Count: > 0 } map)
        {
            // The first entry shares the dash's line: "- name: x".
            var first = true;
            foreach (var line in MapLines(map, indent + 2))
            {
                yield return first ? dash + line[(indent + 1)..] : line;
                first = false;
            }
            yield break;
        }
        if (item is IEnumerable and not string)
            throw new ArgumentException("Sequences of sequences are not supported in generated YAML.");
        foreach (var line in ValueLines(dash, item, indent + 2, indent + 2)) yield return line;
    }

    private static string Scalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s when IsPlainSafe(s) => s,
        string s when s.Any(char.IsControl) => DoubleQuoted(s),
        string s => "'" + s.Replace("'", "''") + "'",
        _ => throw new ArgumentException($"YAML scalar of type {value.GetType().Name} is not supported."),
    };

    /// <summary>
    /// A literal block reads back exactly unless the first line is indented (the parser would take that as the
    /// block's indentation), a carriage return or other control character is in it, or it ends in several newlines.
    /// </summary>
    private static bool FitsLiteralBlock(string text) =>
        !text.StartsWith(' ') && !text.EndsWith("\n\n", StringComparison.Ordinal) && !text.Any(c => char.IsControl(c) && c != '\n');

    /// <summary>A double-quoted scalar; JSON's escapes are a subset of YAML's.</summary>
    private static string DoubleQuoted(string text) =>
        System.Text.Json.JsonSerializer.Serialize(text, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>
    /// True when a plain scalar reads back as this exact string: no YAML 1.1 boolean/null words,
    /// nothing number-like, no indicator at the start, no ": " or " #" inside.
    /// </summary>
    private static bool IsPlainSafe(string text) =>
        text.Length > 0
        && (PlainPattern().IsMatch(text) || (text.Length > 1 && text[0] == '-' && text[1] != ' ' && PlainPattern().IsMatch(text.TrimStart('-'))))
        && !ReservedWords().IsMatch(text)
        && !(text.Length > 1 && text[0] == '.' && char.IsAsciiDigit(text[1]))
        && !text.Contains(": ", StringComparison.Ordinal)
        && !text.Contains(" #", StringComparison.Ordinal)
        && !text.EndsWith(':')
        && !text.EndsWith(' ');

    [GeneratedRegex(@"^[A-Za-z_$/.~(][A-Za-z0-9 _$/.~(){}\[\]=,+@%&*:!<>|'""-]*$")]
    private static partial Regex PlainPattern();

    [GeneratedRegex(@"^(?i:y|n|yes|no|true|false|on|off|null|~|\.inf|\.nan)$")]
    private static partial Regex ReservedWords();
}
