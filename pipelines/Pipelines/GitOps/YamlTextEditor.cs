using YamlDotNet.Core;

namespace Pipelines.GitOps;

/// <summary>
/// Collects edits to one YAML text (replace a scalar's bytes, add a key to a mapping) and applies them
/// at once, so everything outside the edited spans stays byte for byte.
/// </summary>
internal sealed class YamlTextEditor(string text, string file)
{
    private readonly SortedDictionary<int, (int End, string Text)> _replacements = [];
    private readonly SortedDictionary<int, List<string>> _insertions = [];
    private readonly string _newline = text.Contains("\r\n") ? "\r\n" : "\n";

    public string Text => text;

    public bool HasEdits => _replacements.Count > 0 || _insertions.Count > 0;

    /// <summary>1-based line of a character index.</summary>
    public int LineOf(int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < text.Length; i++) if (text[i] == '\n') line++;
        return line;
    }

    /// <summary>The rest of the scalar's line after its value (where a Flux setter marker lives).</summary>
    public string RestOfLine(YamlTextNode node)
    {
        var end = text.IndexOf('\n', node.End);
        return (end < 0 ? text[node.End..] : text[node.End..end]).TrimEnd('\r');
    }

    /// <summary>True when this scalar was already given a new value (by a marker or another rule).</summary>
    public bool IsEdited(YamlTextScalar scalar) => _replacements.ContainsKey(scalar.Start);

    /// <summary>Replaces the scalar's value, keeping its quoting style; returns false when it already holds the value.</summary>
    public bool Replace(YamlTextScalar scalar, string value, string field)
    {
        if (scalar.Value == value) return false;
        var rendered = YamlScalarText.Render(value, scalar.Style, scalar.InFlow, $"{file}:{LineOf(scalar.Start)} ({field})");
        _replacements[scalar.Start] = (scalar.End, rendered);
        return true;
    }

    /// <summary>
    /// Adds <c>key: value</c> as the mapping's last entry, with the indentation of its first key (block) or
    /// after its last entry (flow). Returns the line it lands on.
    /// </summary>
    public int Insert(YamlTextMapping mapping, string key, string value, ScalarStyle style, string field)
    {
        if (mapping.Entries.Count == 0)
            throw new PipelineException($"{file}:{LineOf(mapping.Start)} ({field}) is an empty mapping; add the key by hand once.");
        var rendered = YamlScalarText.Render(value, style, mapping.IsFlow, $"{file}:{LineOf(mapping.Start)} ({field})");
        if (mapping.IsFlow)
        {
            var at = mapping.End;
            while (at > 0 && char.IsWhiteSpace(text[at - 1])) at--;
            Add(at, $", {key}: {rendered}");
            return LineOf(at);
        }

        var firstKey = mapping.Entries[0].Key.Start;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, firstKey - 1)) + 1;
        var indent = new string(' ', firstKey - lineStart);
        // After the line holding the last value (its trailing comment included).
        var lastEnd = mapping.Entries[^1].Value.End;
        var newline = text.IndexOf('\n', Math.Max(0, lastEnd - 1));
        if (newline < 0)
        {
            Add(text.Length, $"{_newline}{indent}{key}: {rendered}");
            return LineOf(text.Length) + 1;
        }
        Add(newline + 1, $"{indent}{key}: {rendered}{_newline}");
        return LineOf(newline + 1);
    }

    /// <summary>
    /// Removes <c>key: value</c> from a block mapping: the whole line, its comment included. Returns the line it was on.
    /// A flow mapping (<c>{name: x, newTag: y}</c>) or a value over several lines is refused, naming the place.
    /// </summary>
    public int Remove(YamlTextMapping mapping, string key, string field)
    {
        var (keyNode, value) = mapping.Entries.First(e => e.Key is YamlTextScalar k && k.Value == key);
        var lineStart = text.LastIndexOf('\n', Math.Max(0, keyNode.Start - 1)) + 1;
        var lineEnd = text.IndexOf('\n', value.End);
        lineEnd = lineEnd < 0 ? text.Length : lineEnd + 1;
        var before = text[lineStart..keyNode.Start];
        if (mapping.IsFlow || text[value.Start..value.End].Contains('\n') || (before.Trim().Length > 0 && before.Trim() != "-"))
            throw new PipelineException($"{file}:{LineOf(keyNode.Start)} ({field}) would have to be removed but is not on a line of its own in a block mapping; remove `{key}` by hand once, or write the entry one key per line.");
        if (before.Trim() == "-")
            throw new PipelineException($"{file}:{LineOf(keyNode.Start)} ({field}) would have to be removed but starts its list item (`- {key}: …`); put `name:` first in the entry.");
        _replacements[lineStart] = (lineEnd, "");
        return LineOf(keyNode.Start);
    }

    private void Add(int at, string insertion)
    {
        if (!_insertions.TryGetValue(at, out var list)) _insertions[at] = list = [];
        list.Add(insertion);
    }

    /// <summary>The text with every edit applied.</summary>
    public string Apply()
    {
        var result = new System.Text.StringBuilder(text.Length + 256);
        var position = 0;
        var points = _replacements.Keys.Concat(_insertions.Keys).Distinct().Order();
        foreach (var at in points)
        {
            if (at < position) throw new InvalidOperationException($"Overlapping edits in {file} at {at}.");
            result.Append(text, position, at - position);
            position = at;
            if (_insertions.TryGetValue(at, out var inserted)) foreach (var piece in inserted) result.Append(piece);
            if (_replacements.TryGetValue(at, out var replacement))
            {
                result.Append(replacement.Text);
                position = replacement.End;
            }
        }
        result.Append(text, position, text.Length - position);
        return result.ToString();
    }
}
