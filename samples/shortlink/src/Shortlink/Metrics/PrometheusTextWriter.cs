using System.Globalization;
using System.Text;

namespace Shortlink.Metrics;

/// <summary>Writes metric families in the Prometheus text exposition format, version 0.0.4.</summary>
/// <remarks>https://prometheus.io/docs/instrumenting/exposition_formats/: HELP and TYPE once per family, before its samples;
/// label values escape backslash, double quote and newline; HELP escapes backslash and newline; lines end with \n.</remarks>
public sealed class PrometheusTextWriter(TextWriter writer)
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Writes the HELP and TYPE lines that open a family.</summary>
    public void Family(string name, string type, string help)
    {
        writer.Write($"# HELP {name} ");
        writer.Write(help.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal));
        writer.Write('\n');
        writer.Write($"# TYPE {name} {type}\n");
    }

    /// <summary>Writes one sample line.</summary>
    public void Sample(string name, IReadOnlyList<(string Name, string Value)> labels, double value)
    {
        writer.Write(name);
        WriteLabels(labels);
        writer.Write(' ');
        writer.Write(FormatValue(value));
        writer.Write('\n');
    }

    /// <summary>Writes the <c>_bucket</c> (cumulative, ending with <c>le="+Inf"</c>), <c>_sum</c> and <c>_count</c> lines of one histogram.</summary>
    public void Histogram(string name, IReadOnlyList<(string Name, string Value)> labels, HistogramSnapshot snapshot)
    {
        for (var i = 0; i < snapshot.CumulativeCounts.Count; i++)
        {
            var le = i < snapshot.Bounds.Count ? FormatValue(snapshot.Bounds[i]) : "+Inf";
            Sample(name + "_bucket", [.. labels, ("le", le)], snapshot.CumulativeCounts[i]);
        }
        Sample(name + "_sum", labels, snapshot.Sum);
        Sample(name + "_count", labels, snapshot.Count);
    }

    /// <summary>Formats a sample value: shortest round-trip form, invariant culture, Prometheus spellings of infinities and NaN.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private void WriteLabels(IReadOnlyList<(string Name, string Value)> labels)
    {
        if (labels.Count == 0)
            return;
        var line = new StringBuilder("{");
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
                line.Append(',');
            line.Append(labels[i].Name).Append("=\"").Append(EscapeLabelValue(labels[i].Value)).Append('"');
        }
        writer.Write(line.Append('}').ToString());
    }

    private static string EscapeLabelValue(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal)
             .Replace("\"", "\\\"", StringComparison.Ordinal)
             .Replace("\n", @"\n", StringComparison.Ordinal);
}
