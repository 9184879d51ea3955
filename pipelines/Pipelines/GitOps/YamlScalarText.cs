using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Pipelines.GitOps;

/// <summary>Writes a string as YAML scalar text in a given style, quoting only when the style or value needs it.</summary>
internal static partial class YamlScalarText
{
    /// <summary>
    /// The text for <paramref name="value"/> in <paramref name="style"/>. A plain scalar that would read back as
    /// something else (a number, a bool, null) or that contains YAML syntax is double-quoted instead.
    /// </summary>
    public static string Render(string value, ScalarStyle style, bool inFlow, string where)
    {
        switch (style)
        {
            case ScalarStyle.SingleQuoted:
                return "'" + value.Replace("'", "''") + "'";
            case ScalarStyle.DoubleQuoted:
                return DoubleQuoted(value);
            case ScalarStyle.Literal:
            case ScalarStyle.Folded:
                throw new PipelineException($"{where} is a block scalar (| or >); write the image reference there as a one-line value so it can be updated in place.");
            default:
                return IsPlainSafe(value, inFlow) ? value : DoubleQuoted(value);
        }
    }

    private static string DoubleQuoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    /// <summary>True when the value reads back as the same string when written without quotes.</summary>
    public static bool IsPlainSafe(string value, bool inFlow)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) return false;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0]) && !(value.Length > 1 && "-?:".Contains(value[0]) && !char.IsWhiteSpace(value[1]) && !inFlow)) return false;
        if (value.Contains(": ") || value.Contains(" #") || value.EndsWith(':')) return false;
        if (value.Any(c => char.IsControl(c))) return false;
        if (inFlow && value.IndexOfAny([',', '[', ']', '{', '}']) >= 0) return false;
        // Both YAML 1.1 (go-yaml v2, old kustomize) and 1.2 resolve these to non-strings.
        return !NonString().IsMatch(value);
    }

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7]+|0b[01_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[0-9]+(:[0-5]?[0-9])+(\.[0-9_]*)?)$")]
    private static partial Regex NonString();
}
