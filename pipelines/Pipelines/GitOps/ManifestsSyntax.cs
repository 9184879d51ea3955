using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Pipelines.GitOps;

/// <summary>
/// The one way a manifests file that is not valid YAML is reported, by Deploy's setter and by the check before any
/// target: the file, the line and column of the cause, and the fix. A tab in the indentation is named on its own line:
/// YamlDotNet reports it where the token before it started (often the line above), which sends the reader to the wrong line.
/// </summary>
internal static partial class ManifestsSyntax
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every file of <paramref name="folder"/> that is not valid YAML, one message each; <paramref name="displayName"/> names the folder in them.</summary>
    public static IReadOnlyList<string> Problems(string folder, string displayName)
    {
        var problems = new List<string>();
        if (!Directory.Exists(folder)) return problems;
        foreach (var path in ImageSetter.ManifestFiles(folder))
        {
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            string? text = null;
            try
            {
                var bytes = File.ReadAllBytes(path);
                var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble);
                text = Utf8.GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
                YamlTextReader.ReadDocuments(text);
            }
            // The setter's list leaves dangling links out; a file gone since is the setter's to report.
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { }
            catch (Exception e) when (e is YamlException or DecoderFallbackException or InvalidOperationException)
            {
                problems.Add(Describe(displayName, relative, e, text));
            }
        }
        return problems;
    }

    /// <summary>The manifests file, line, column and the YAML error, without YamlDotNet's position prefix.</summary>
    /// <param name="text">The file's text, to find a tab in the indentation; null when it could not be decoded.</param>
    public static string Describe(string folder, string relative, Exception e, string? text)
    {
        var message = PositionPrefix().Replace(e.Message, "");
        if (e is DecoderFallbackException) message = "not UTF-8 text (" + message.TrimEnd('.') + ")";
        var where = relative;
        if (e is YamlException yaml)
        {
            var (line, column) = ((int)yaml.Start.Line, (int)yaml.Start.Column);
            if (text is not null && IndentationTab(text) is { } tab)
            {
                (line, column) = tab;
                message = "a tab in the indentation; YAML indents with spaces only, replace the tab with spaces";
            }
            where = $"{relative}:{line}:{column} (line {line}, column {column})";
        }
        return $"The manifests file `{folder}/{where}` is not valid YAML: {message.TrimEnd('.')}. " +
               "Fix the file in the manifests repository (kustomize cannot build the folder either); nothing was changed.";
    }

    /// <summary>The first line (1-based) and column of a tab in the indentation of a line with content; null when there is none.</summary>
    private static (int Line, int Column)? IndentationTab(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var indentation = line.Length - line.TrimStart(' ', '\t').Length;
            if (indentation == line.Length) continue;   // blank: tabs are allowed there
            var tab = line.IndexOf('\t', 0, indentation);
            if (tab >= 0) return (i + 1, tab + 1);
        }
        return null;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
