using YamlDotNet.RepresentationModel;
using static Pipelines.Analysis.ObjectivesReader;

namespace Pipelines.Analysis;

/// <summary>
/// The <c>probes:</c> list of an objectives file (<see cref="HttpProbe"/>), read into the same <c>file:line:col</c>
/// problems as the rest of the file, so every mistake is reported at once before anything runs.
/// </summary>
internal static class ProbesReader
{
    private static readonly string[] ProbeKeys = ["name", "url", "status", "body", "timeout", "successes"];

    /// <summary>The probes, each with its node (for later messages); empty when the file has none.</summary>
    public static IReadOnlyList<(HttpProbe Probe, YamlNode Node)> Read(YamlMappingNode root, Problems problems)
    {
        var probes = new List<(HttpProbe, YamlNode)>();
        if (Child(root, "probes") is not { } node) return probes;
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            problems.Add(node, "`probes` is not a list; give each probe name and url (status, body, timeout and successes are optional)");
            return probes;
        }
        foreach (var (item, index) in list.Children.Select((n, i) => (n, i)))
        {
            if (item is not YamlMappingNode map)
            {
                problems.Add(item, $"probes[{index}] is not a mapping; give it name and url");
                continue;
            }
            var name = Scalar(map, "name");
            var at = $"the probe `{name ?? $"probes[{index}]"}`";
            problems.UnknownKeys(map, ProbeKeys, at);
            if (name is not { Length: > 0 }) problems.Add(map, $"{at} has no name");
            var url = Scalar(map, "url");
            if (url is not { Length: > 0 })
                problems.Add(map, $"{at} has no url; give the absolute URL to GET, e.g. http://{{{{app}}}}.{{{{namespace}}}}.svc/healthz");
            else if (!IsHttpUrl(url))
                problems.Add(Child(map, "url")!, $"{at} has url `{url}`, which is not an absolute http(s) URL");
            var status = Number(map, "status", at, problems);
            if (status is { } code && (code != Math.Floor(code) || code is < 100 or > 599))
                problems.Add(Child(map, "status")!, $"{at} has status {code}; give an HTTP status from 100 to 599");
            var successes = Number(map, "successes", at, problems);
            if (successes is { } n && (n != Math.Floor(n) || n < 1))
                problems.Add(Child(map, "successes")!, $"{at} has successes {n}; give a whole number of at least 1 (requests in a row that must succeed at each check)");
            var timeout = Child(map, "timeout") is null ? null : Duration(map, "timeout", problems);
            if (name is { Length: > 0 } && url is { Length: > 0 } && IsHttpUrl(url))
            {
                var probe = new HttpProbe(name, url) { BodyContains = Scalar(map, "body") };
                if (status is { } s) probe = probe with { Status = (int)s };
                if (successes is { } c && c >= 1) probe = probe with { Successes = (int)c };
                if (timeout is { } t) probe = probe with { Timeout = t };
                if (probes.Any(p => p.Item1.Name == name))
                    problems.Add(Child(map, "name")!, $"the probe `{name}` is declared twice; give each probe its own name");
                probes.Add((probe, map));
            }
        }
        return probes;
    }

    /// <summary>Whether the URL, with its placeholders filled by a sample value, is absolute http(s).</summary>
    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url.Replace("{{app}}", "app").Replace("{{namespace}}", "ns").Replace("{{environment}}", "env"), UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https";
}
