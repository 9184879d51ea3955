using System.Text.RegularExpressions;

namespace Pipelines.Tests.Architecture;

/// <summary>
/// Reads the library's sources as text and finds the imports that break the layering: a folder (= namespace
/// <c>Pipelines.Folder</c>) that imports a higher layer, two folders of one layer that import each other (directly or
/// around a loop), a pair kept apart that touch, and a folder placed in no layer. Text, not Roslyn: it sees
/// <c>using Pipelines.X</c> (plain, static, alias, global), <c>Pipelines.X.</c> anywhere in code, and <c>X.Type</c>
/// where Type is declared in folder X; comments are ignored, so a <c>&lt;see cref&gt;</c> to a higher layer is fine.
/// </summary>
internal static partial class LayerCheck
{
    /// <summary>One import of another folder, where it is written.</summary>
    internal sealed record Import(string From, string To, string File, int Line, string Text);

    /// <summary>The problems, one line each naming file, line and import; empty when the layering holds.</summary>
    /// <param name="files">Each source file: its path relative to the library root (<c>Containers/ImageBuilder.cs</c>) and its text.</param>
    /// <param name="layers">The layers bottom to top, each a list of folders; <c>""</c> is the root namespace <c>Pipelines</c>.</param>
    /// <param name="apart">Pairs of folders that may not import each other in either direction, whatever their layers.</param>
    internal static IReadOnlyList<string> Check(IReadOnlyList<(string Path, string Text)> files, IReadOnlyList<string[]> layers, IReadOnlyList<(string, string)> apart)
    {
        var layerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
            foreach (var folder in layers[i]) layerOf[folder] = i;

        var folders = files.Select(f => FolderOf(f.Path)).ToHashSet(StringComparer.Ordinal);
        var problems = folders.Where(f => !layerOf.ContainsKey(f)).Order(StringComparer.Ordinal)
            .Select(f => $"{(f.Length == 0 ? "the root folder" : f + "/")} is in no layer: place it in LayerTests.Layers, below every folder that imports it.")
            .ToList();

        var imports = Imports(files, folders);
        foreach (var import in imports.Where(i => layerOf.ContainsKey(i.From) && layerOf.ContainsKey(i.To)))
        {
            if (layerOf[import.To] > layerOf[import.From])
                problems.Add($"{import.File}:{import.Line}: {Name(import.From)} (layer {layerOf[import.From]}) imports {Name(import.To)} of the higher layer {layerOf[import.To]}: `{import.Text}`. Move what it needs down, or pass it in.");
            else if (layerOf[import.To] == layerOf[import.From] && Reaches(imports, layerOf, import.To, import.From))
                problems.Add($"{import.File}:{import.Line}: {Name(import.From)} imports {Name(import.To)} of its own layer {layerOf[import.From]}, which imports it back (a loop): `{import.Text}`. Move the shared types down a layer.");
            if (apart.Any(p => (p.Item1, p.Item2) == (import.From, import.To) || (p.Item2, p.Item1) == (import.From, import.To)))
                problems.Add($"{import.File}:{import.Line}: {Name(import.From)} imports {Name(import.To)}, which stay apart: `{import.Text}`. Put what both need in a lower layer.");
        }
        return problems;
    }

    /// <summary>Every import of another folder in <paramref name="files"/>.</summary>
    internal static IReadOnlyList<Import> Imports(IReadOnlyList<(string Path, string Text)> files, IReadOnlySet<string> folders)
    {
        // The types each folder declares, so that `Targets.ParameterConverter` counts and `options.Registry.Host` does not.
        var declared = files.GroupBy(f => FolderOf(f.Path))
            .ToDictionary(g => g.Key, g => g.SelectMany(f => Declaration().Matches(WithoutComments(f.Text)).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal));
        var imports = new List<Import>();
        foreach (var (path, text) in files)
        {
            var from = FolderOf(path);
            var lines = WithoutComments(text).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (NamespaceLine().IsMatch(line)) continue;
                var targets = UsingLine().Matches(line).Select(m => m.Groups[1].Value)
                    .Concat(Qualified().Matches(line).Select(m => m.Groups[1].Value))
                    .Concat(PartlyQualified().Matches(line)
                        .Where(m => declared.TryGetValue(m.Groups[1].Value, out var types) && types.Contains(m.Groups[2].Value))
                        .Select(m => m.Groups[1].Value));
                foreach (var to in targets.Where(t => t != from && folders.Contains(t)).Distinct())
                    imports.Add(new Import(from, to, path, i + 1, line.Trim()));
            }
        }
        return imports;
    }

    /// <summary>The folder a file is in: its first path segment, or "" for a file at the root.</summary>
    internal static string FolderOf(string path) =>
        path.Replace('\\', '/') is var p && p.IndexOf('/') is var slash and > 0 ? p[..slash] : "";

    private static string Name(string folder) => folder.Length == 0 ? "the root namespace" : folder + "/";

    /// <summary>Whether <paramref name="start"/> reaches <paramref name="goal"/> through imports within their layer.</summary>
    private static bool Reaches(IReadOnlyList<Import> imports, Dictionary<string, int> layerOf, string start, string goal)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var folder))
        {
            if (folder == goal) return true;
            foreach (var next in imports.Where(i => i.From == folder && layerOf.TryGetValue(i.To, out var l) && l == layerOf[start]).Select(i => i.To))
                if (seen.Add(next)) queue.Enqueue(next);
        }
        return false;
    }

    /// <summary>
    /// The text with comments blanked (line count kept): <c>//…</c> to the end of the line unless inside a URL
    /// (<c>https://</c>), and <c>/* … */</c>.
    /// </summary>
    private static string WithoutComments(string text) =>
        BlockComment().Replace(LineComment().Replace(text, ""), m => new string('\n', m.Value.Count(c => c == '\n')));

    [GeneratedRegex(@"(?<!:)//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"^\s*namespace\s")]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?Pipelines\.(\w+)")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?Pipelines\.(\w+)\.")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"(?<![\w.:])(\w+)\.(\w+)")]
    private static partial Regex PartlyQualified();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex Declaration();
}
