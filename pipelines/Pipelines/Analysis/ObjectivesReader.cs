using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Analysis;

/// <summary>
/// Reads an objectives file:
/// <code>
/// window: 5m            # how long the analysis watches
/// interval: 1m          # time between checks
/// failureLimit: 0       # failed checks tolerated
/// inconclusiveLimit: 0  # checks without an answer tolerated
/// minimumTraffic:
///   query: sum(increase(http_requests_received_total{endpoint!="/metrics"}[{{interval}}]))
///   requests: 20
/// objectives:
///   - name: availability
///     query: sum(rate(…{code=~"[1-4].."}[{{interval}}])) / sum(rate(…[{{interval}}]))
///     comparison: ">="
///     threshold: 0.999
/// </code>
/// Every mistake is reported with the file and the field to fix, before anything runs.
/// </summary>
internal static class ObjectivesReader
{
    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    public static AnalysisSpec ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new PipelineException($"The objectives file `{path}` does not exist; pass --objectives or add apps/<app>/objectives.yaml to the manifests repository.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates objectives YAML; <paramref name="source"/> names it in messages.</summary>
    public static AnalysisSpec Parse(string yaml, string source)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new PipelineException($"The objectives file `{source}` is empty or not a mapping; it needs window, interval and objectives.");
        }
        catch (YamlException e)
        {
            throw new PipelineException($"The objectives file `{source}` is not valid YAML ({e.Start}): {e.Message}");
        }

        var window = Duration(root, "window", source);
        var interval = Duration(root, "interval", source);
        if (interval > window)
            throw new PipelineException($"In `{source}`, interval ({Scalar(root, "interval")}) is longer than window ({Scalar(root, "window")}); make the window at least one interval.");

        var objectives = new List<Objective>();
        if (Child(root, "objectives") is not YamlSequenceNode list || list.Children.Count == 0)
            throw new PipelineException($"`{source}` declares no objectives; add a list under `objectives:` with name, query, comparison and threshold.");
        foreach (var (node, index) in list.Children.Select((n, i) => (n, i)))
        {
            if (node is not YamlMappingNode item)
                throw new PipelineException($"objectives[{index}] in `{source}` is not a mapping; give it name, query, comparison and threshold.");
            var name = Scalar(item, "name") ?? $"objectives[{index}]";
            var at = $"objective `{name}` in `{source}`";
            var query = Scalar(item, "query") is { Length: > 0 } q ? q : throw new PipelineException($"The {at} has no query.");
            var comparisonText = Scalar(item, "comparison") ?? throw new PipelineException($"The {at} has no comparison; use one of >=, >, <=, <.");
            var comparison = Objective.ParseOperator(comparisonText) ?? throw new PipelineException($"The {at} has comparison `{comparisonText}`; use one of >=, >, <=, <.");
            var threshold = Number(item, "threshold", at) ?? throw new PipelineException($"The {at} has no threshold.");
            objectives.Add(new Objective(name, query, comparison, threshold));
        }
        var duplicate = objectives.GroupBy(o => o.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new PipelineException($"`{source}` declares the objective `{duplicate.Key}` twice; give each objective its own name.");

        TrafficGate? traffic = null;
        if (Child(root, "minimumTraffic") is YamlMappingNode gate)
        {
            var at = $"minimumTraffic in `{source}`";
            traffic = new TrafficGate(
                Scalar(gate, "query") is { Length: > 0 } q ? q : throw new PipelineException($"The {at} has no query (the request count over {{{{interval}}}})."),
                Number(gate, "requests", at) ?? throw new PipelineException($"The {at} has no `requests` (the fewest requests a check needs)."));
        }

        return new AnalysisSpec
        {
            Window = window,
            Interval = interval,
            FailureLimit = (int)(Number(root, "failureLimit", $"`{source}`") ?? 0),
            InconclusiveLimit = (int)(Number(root, "inconclusiveLimit", $"`{source}`") ?? 0),
            MinimumTraffic = traffic,
            Objectives = objectives,
        };
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    private static TimeSpan Duration(YamlMappingNode map, string key, string source)
    {
        var text = Scalar(map, key) ?? throw new PipelineException($"`{source}` has no `{key}`; give a duration such as 30s or 5m.");
        return Durations.Parse(text) is { } value && value > TimeSpan.Zero
            ? value
            : throw new PipelineException($"`{key}: {text}` in `{source}` is not a duration; use a form such as 30s, 5m or 1h.");
    }

    private static double? Number(YamlMappingNode map, string key, string at)
    {
        var text = Scalar(map, key);
        if (text is null) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0
            ? value
            : throw new PipelineException($"`{key}: {text}` of the {at} is not a non-negative number.");
    }
}
