using System.Globalization;
using System.Text;

namespace Shortlink.Tests;

/// <summary>A parsed Prometheus text exposition (0.0.4), strict enough to catch format mistakes.</summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(IReadOnlyList<Sample> samples, IReadOnlyDictionary<string, string> types, IReadOnlyDictionary<string, string> help)
    {
        Samples = samples;
        Types = types;
        Help = help;
    }

    /// <summary>Every sample line in order.</summary>
    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Family name → TYPE.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Family name → HELP text.</summary>
    public IReadOnlyDictionary<string, string> Help { get; }

    /// <summary>One sample line.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>The value of the one sample with this name and exactly these labels; fails the test when absent.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = Samples.Where(s => s.Name == name && s.Labels.Count == labels.Length && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
        return Assert.Single(matches).Value;
    }

    /// <summary>Samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Where(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <summary>Parses <paramref name="text"/>; throws on any line that is not valid exposition format.</summary>
    public static PrometheusScrape Parse(string text)
    {
        Assert.EndsWith("\n", text);
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>();
        var help = new Dictionary<string, string>();
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var parts = line["# HELP ".Length..].Split(' ', 2);
                Assert.True(help.TryAdd(parts[0], parts[1]), $"second HELP for {parts[0]}");
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                Assert.Equal(2, parts.Length);
                Assert.Contains(parts[1], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                Assert.DoesNotContain(samples, s => s.Name.StartsWith(parts[0], StringComparison.Ordinal)); // TYPE precedes samples
                Assert.True(types.TryAdd(parts[0], parts[1]), $"second TYPE for {parts[0]}");
            }
            else
            {
                samples.Add(ParseSample(line));
            }
        }

        return new PrometheusScrape(samples, types, help);
    }

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
            i++;
        var name = line[..i];
        Assert.False(string.IsNullOrEmpty(name), $"no metric name in '{line}'");

        var labels = new Dictionary<string, string>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                Assert.Equal('"', line[eq + 1]);
                var value = new StringBuilder();
                for (i = eq + 2; line[i] != '"'; i++)
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch { 'n' => '\n', '\\' => '\\', '"' => '"', var c => throw new FormatException($"bad escape \\{c} in '{line}'") });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                }
                labels.Add(label, value.ToString());
                i++; // closing quote
                if (line[i] == ',')
                    i++;
            }
            i++; // closing brace
        }

        Assert.Equal(' ', line[i]);
        var number = line[(i + 1)..];
        var parsed = number switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, parsed);
    }
}
