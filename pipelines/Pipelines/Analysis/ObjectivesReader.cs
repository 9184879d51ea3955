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
/// probes:               # HTTP smoke checks, run at every check beside the queries
///   - name: healthz
///     url: http://{{app}}.{{namespace}}.svc/healthz
///     status: 200         # expected status (default 200)
///     body: ok            # optional: text the body must contain
///     timeout: 5s         # per request (default 5s)
///     successes: 1        # requests in a row that must succeed at each check (default 1)
/// </code>
/// Every mistake is reported at once, each as <c>file:line:col</c> (YamlDotNet's marks, 1-based) with the field to fix,
/// before anything runs.
/// </summary>
internal static class ObjectivesReader
{
    private static readonly string[] RootKeys = ["window", "interval", "failureLimit", "inconclusiveLimit", "minimumTraffic", "objectives", "probes"];
    private static readonly string[] ObjectiveKeys = ["name", "query", "comparison", "threshold"];
    private static readonly string[] GateKeys = ["query", "requests"];

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    public static AnalysisSpec ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new PipelineException($"The objectives file `{path}` does not exist; pass --objectives or add apps/<app>/objectives.yaml to the manifests repository.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates objectives YAML; <paramref name="source"/> names it in messages. Throws one exception listing every mistake.</summary>
    public static AnalysisSpec Parse(string yaml, string source)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new PipelineException($"{source}:1:1: the objectives file is empty or not a mapping; it needs window, interval and objectives.");
        }
        catch (YamlException e)
        {
            // A syntax error hides whatever follows it: it is the one mistake YAML lets us report.
            throw new PipelineException($"{source}:{e.Start.Line}:{e.Start.Column}: the objectives file is not valid YAML: {e.Message}");
        }

        var problems = new Problems(source);
        problems.UnknownKeys(root, RootKeys, "the top level");
        var window = Duration(root, "window", problems);
        var interval = Duration(root, "interval", problems);
        if (window is not null && interval is not null && interval > window)
            problems.Add(Child(root, "interval")!, $"interval ({Scalar(root, "interval")}) is longer than window ({Scalar(root, "window")}); make the window at least one interval");

        var objectives = new List<Objective>();
        var probes = ProbesReader.Read(root, problems);
        if (Child(root, "objectives") is not YamlSequenceNode list || list.Children.Count == 0)
        {
            // A file of probes only is a smoke check; with neither there is nothing to judge.
            if (Child(root, "probes") is null || Child(root, "objectives") is not null)
                problems.Add(Child(root, "objectives") ?? root, "no objectives are declared; add a list under `objectives:` with name, query, comparison and threshold (or `probes:` with name and url)");
        }
        else
            foreach (var (node, index) in list.Children.Select((n, i) => (n, i)))
            {
                if (node is not YamlMappingNode item)
                {
                    problems.Add(node, $"objectives[{index}] is not a mapping; give it name, query, comparison and threshold");
                    continue;
                }
                var name = Scalar(item, "name") ?? $"objectives[{index}]";
                var at = $"the objective `{name}`";
                problems.UnknownKeys(item, ObjectiveKeys, at);
                var query = Scalar(item, "query");
                if (query is not { Length: > 0 }) problems.Add(Child(item, "query") ?? item, $"{at} has no query");
                var comparisonText = Scalar(item, "comparison");
                var comparison = comparisonText is null ? null : Objective.ParseOperator(comparisonText);
                if (comparisonText is null) problems.Add(item, $"{at} has no comparison; use one of >=, >, <=, <");
                else if (comparison is null) problems.Add(Child(item, "comparison")!, $"{at} has comparison `{comparisonText}`; use one of >=, >, <=, <");
                var threshold = Number(item, "threshold", at, problems);
                if (Child(item, "threshold") is null) problems.Add(item, $"{at} has no threshold");
                if (objectives.Any(o => o.Name == name)) problems.Add(Child(item, "name") ?? item, $"the objective `{name}` is declared twice; give each objective its own name");
                if (query is { Length: > 0 } && comparison is { } c && threshold is { } t) objectives.Add(new Objective(name, query, c, t));
                else objectives.Add(new Objective(name, "", Comparison.AtLeast, 0)); // keeps duplicate names detectable
            }

        TrafficGate? traffic = null;
        if (Child(root, "minimumTraffic") is { } gateNode)
        {
            if (gateNode is not YamlMappingNode gate)
                problems.Add(gateNode, "minimumTraffic is not a mapping; give it query and requests");
            else
            {
                const string at = "minimumTraffic";
                problems.UnknownKeys(gate, GateKeys, at);
                var query = Scalar(gate, "query");
                if (query is not { Length: > 0 }) problems.Add(gate, $"{at} has no query (the request count over {{{{interval}}}})");
                var requests = Number(gate, "requests", at, problems);
                if (Child(gate, "requests") is null) problems.Add(gate, $"{at} has no `requests` (the fewest requests a check needs)");
                if (query is { Length: > 0 } && requests is { } minimum) traffic = new TrafficGate(query, minimum);
            }
        }

        foreach (var probe in probes.Where(p => objectives.Any(o => o.Name == p.Probe.Name)))
            problems.Add(probe.Node, $"the probe `{probe.Probe.Name}` has the name of an objective; give each objective and probe its own name");

        var failureLimit = Number(root, "failureLimit", "the top level", problems);
        var inconclusiveLimit = Number(root, "inconclusiveLimit", "the top level", problems);
        problems.ThrowIfAny();
        return new AnalysisSpec
        {
            Window = window!.Value,
            Interval = interval!.Value,
            FailureLimit = (int)(failureLimit ?? 0),
            InconclusiveLimit = (int)(inconclusiveLimit ?? 0),
            MinimumTraffic = traffic,
            Objectives = objectives,
            Probes = [.. probes.Select(p => p.Probe)],
        };
    }

    /// <summary>Every mistake of one file, each at its YAML position.</summary>
    internal sealed class Problems(string source)
    {
        private readonly List<string> _messages = [];

        public void Add(YamlNode node, string message) => _messages.Add($"{source}:{node.Start.Line}:{node.Start.Column}: {message}.");

        public void UnknownKeys(YamlMappingNode map, IReadOnlyList<string> known, string at)
        {
            foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => !known.Contains(k.Value)))
                Add(key, $"`{key.Value}` is not a field of {at}; use {string.Join(", ", known)}");
        }

        public void ThrowIfAny()
        {
            if (_messages.Count == 1) throw new PipelineException($"The objectives file has an error: {_messages[0]}");
            if (_messages.Count > 1)
                throw new PipelineException($"The objectives file has {_messages.Count} errors:\n  " + string.Join("\n  ", _messages));
        }
    }

    internal static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    internal static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    internal static TimeSpan? Duration(YamlMappingNode map, string key, Problems problems)
    {
        if (Child(map, key) is not { } node)
        {
            problems.Add(map, $"there is no `{key}`; give a duration such as 30s or 5m");
            return null;
        }
        var text = (node as YamlScalarNode)?.Value ?? "";
        if (Durations.Parse(text) is { } value && value > TimeSpan.Zero) return value;
        problems.Add(node, $"`{key}: {text}` is not a duration; use a form such as 30s, 5m or 1h (a unit is required)");
        return null;
    }

    internal static double? Number(YamlMappingNode map, string key, string at, Problems problems)
    {
        if (Child(map, key) is not { } node) return null;
        var text = (node as YamlScalarNode)?.Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0)
            return value;
        problems.Add(node, $"`{key}: {text}` of {at} is not a non-negative number");
        return null;
    }
}
