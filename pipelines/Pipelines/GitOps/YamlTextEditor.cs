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
