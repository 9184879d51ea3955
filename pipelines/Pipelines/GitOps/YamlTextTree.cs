using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pipelines.GitOps;

/// <summary>
/// A YAML document as nodes that remember where they are in the text (character indexes from
/// YamlDotNet's parser), so that a value can be replaced in place instead of re-serializing the file.
/// </summary>
internal abstract class YamlTextNode
{
    public int Start { get; init; }
    public int End { get; init; }
}

/// <summary>A scalar; <see cref="YamlTextNode.Start"/> is where its value text begins (after any anchor or tag).</summary>
internal sealed class YamlTextScalar : YamlTextNode
{
    public required string Value { get; init; }
    public required ScalarStyle Style { get; init; }
    /// <summary>Inside a flow collection, where <c>,[]{}</c> end a plain scalar.</summary>
    public bool InFlow { get; init; }
}

internal sealed class YamlTextMapping : YamlTextNode
{
    public List<(YamlTextNode Key, YamlTextNode Value)> Entries { get; } = [];
    public bool IsFlow { get; init; }

    /// <summary>The value of a plain-text key, or null.</summary>
    public YamlTextNode? Get(string key) =>
        Entries.FirstOrDefault(e => e.Key is YamlTextScalar s && s.Value == key).Value;

    public YamlTextScalar? Scalar(string key) => Get(key) as YamlTextScalar;

    /// <summary>Follows dot-separated keys through nested mappings.</summary>
    public YamlTextMapping? Path(string dotted)
    {
        YamlTextMapping? current = this;
        foreach (var part in dotted.Split('.', StringSplitOptions.RemoveEmptyEntries))
            current = current?.Get(part) as YamlTextMapping;
        return current;
    }
}

internal sealed class YamlTextSequence : YamlTextNode
{
    public List<YamlTextNode> Items { get; } = [];
}

/// <summary>An alias (<c>*name</c>): never followed, never edited.</summary>
internal sealed class YamlTextAlias : YamlTextNode;

/// <summary>Reads every document of a YAML text into position-aware nodes.</summary>
internal static class YamlTextReader
{
    /// <summary>The root node of each document; throws <see cref="YamlException"/> on invalid YAML.</summary>
    public static List<YamlTextNode> ReadDocuments(string text)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<YamlTextNode>();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            documents.Add(ReadNode(parser, text, inFlow: false));
            parser.Consume<DocumentEnd>();
        }
        parser.Consume<StreamEnd>();
        return documents;
    }

    private static YamlTextNode ReadNode(IParser parser, string text, bool inFlow)
    {
        switch (parser.Current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new YamlTextScalar
                {
                    Value = scalar.Value,
                    Style = scalar.Style,
                    Start = ValueStart(text, (int)scalar.Start.Index, (int)scalar.End.Index, scalar.Anchor.IsEmpty && scalar.Tag.IsEmpty),
                    End = (int)scalar.End.Index,
                    InFlow = inFlow,
                };
            case AnchorAlias alias:
                parser.MoveNext();
                return new YamlTextAlias { Start = (int)alias.Start.Index, End = (int)alias.End.Index };
            case SequenceStart sequenceStart:
            {
                parser.MoveNext();
                var flow = inFlow || sequenceStart.Style == SequenceStyle.Flow;
                var items = new List<YamlTextNode>();
                while (parser.Current is not SequenceEnd) items.Add(ReadNode(parser, text, flow));
                var end = (int)parser.Current.End.Index;
                parser.MoveNext();
                var sequence = new YamlTextSequence { Start = (int)sequenceStart.Start.Index, End = end };
                sequence.Items.AddRange(items);
                return sequence;
            }
            case MappingStart mappingStart:
            {
                parser.MoveNext();
                var flow = inFlow || mappingStart.Style == MappingStyle.Flow;
                var entries = new List<(YamlTextNode, YamlTextNode)>();
                while (parser.Current is not MappingEnd)
                {
                    var key = ReadNode(parser, text, flow);
                    entries.Add((key, ReadNode(parser, text, flow)));
                }
                // For a flow mapping the end event sits on the closing brace: insertions go before it.
                var end = (int)parser.Current.Start.Index;
                parser.MoveNext();
                var mapping = new YamlTextMapping { Start = (int)mappingStart.Start.Index, End = end, IsFlow = mappingStart.Style == MappingStyle.Flow };
                mapping.Entries.AddRange(entries);
                return mapping;
            }
            default:
                throw new YamlException(parser.Current!.Start, parser.Current.End, $"Unexpected {parser.Current.GetType().Name}.");
        }
    }

    /// <summary>The parser's scalar start includes a leading anchor (<c>&amp;a</c>) or tag (<c>!!str</c>); skip them.</summary>
    private static int ValueStart(string text, int start, int end, bool bare)
    {
        if (bare) return start;
        var i = start;
        while (i < end && (text[i] == '&' || text[i] == '!'))
        {
            while (i < end && !char.IsWhiteSpace(text[i])) i++;
            while (i < end && char.IsWhiteSpace(text[i])) i++;
        }
        return i;
    }
}
