using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Scanning;

/// <summary>
/// Reads the scan policy (<c>.gitops/scan-policy.yaml</c>) and Trivy's plain <c>.trivyignore</c>.
/// <code>
/// ignore:
///   - id: CVE-2019-1549
///     package: libcrypto1.1          # optional
///     reason: only reachable through fork(), which the service never calls
///     expires: 2026-12-31            # optional; the last day the entry applies
/// </code>
/// Every mistake is a <see cref="PipelineException"/> naming the file, line and column, because a policy that is
/// silently half-read would let findings through or block releases for no visible reason.
/// </summary>
internal static class ScanPolicyReader
{
    private static readonly string[] Keys = ["id", "package", "reason", "expires"];

    /// <summary>Reads a policy file, naming the file in any error.</summary>
    public static ScanPolicy ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new PipelineException($"The scan policy {path} does not exist; fix --scan-policy or create the file.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses policy YAML; <paramref name="path"/> names the source in errors.</summary>
    public static ScanPolicy Parse(string yaml, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new PipelineException($"{path}:{e.Start.Line}:{e.Start.Column}: the scan policy is not valid YAML ({e.Message}).");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return new ScanPolicy([]) { Sources = [path] };

        var root = stream.Documents[0].RootNode;
        var list = root switch
        {
            YamlSequenceNode sequence => sequence,
            YamlMappingNode mapping => IgnoreList(mapping, path),
            _ => throw Error(path, root, "the scan policy must be a mapping with an 'ignore:' list of entries"),
        };
        return new ScanPolicy(list.Children.Select(node => ReadEntry(node, path)).ToList()) { Sources = [path] };
    }

    private static YamlSequenceNode IgnoreList(YamlMappingNode mapping, string path)
    {
        YamlSequenceNode? list = null;
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name != "ignore") throw Error(path, key, $"unknown key '{name}'; the scan policy has only 'ignore:'");
            list = value switch
            {
                YamlSequenceNode sequence => sequence,
                YamlScalarNode { Value: null or "" } => new YamlSequenceNode(),
                _ => throw Error(path, value, "'ignore' must be a list of entries (- id: …, reason: …)"),
            };
        }
        return list ?? new YamlSequenceNode();
    }

    private static ScanPolicyEntry ReadEntry(YamlNode node, string path)
    {
        if (node is not YamlMappingNode entry)
            throw Error(path, node, "each policy entry must be a mapping with id and reason");
        var values = new Dictionary<string, (string Value, YamlNode Node)>();
        foreach (var (key, value) in entry.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!Keys.Contains(name))
                throw Error(path, key, $"unknown key '{name}' in a policy entry; allowed: {string.Join(", ", Keys)}");
            if (value is not YamlScalarNode scalar)
                throw Error(path, value, $"'{name}' must be a single value");
            values[name] = ((scalar.Value ?? "").Trim(), value);
        }

        var line = $"{path}:{entry.Start.Line}";
        if (!values.TryGetValue("id", out var id) || id.Value.Length == 0)
            throw Error(path, entry, "a policy entry has no 'id'; give the vulnerability, secret rule or check ID");
        if (!values.TryGetValue("reason", out var reason) || reason.Value.Length == 0)
            throw Error(path, entry, $"the policy entry for {id.Value} has no 'reason'; write down why the risk is accepted");

        DateOnly? expires = null;
        if (values.TryGetValue("expires", out var date) && date.Value.Length > 0)
        {
            if (!DateOnly.TryParseExact(date.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                throw Error(path, date.Node, $"'expires: {date.Value}' of {id.Value} is not a date; write it as YYYY-MM-DD");
            expires = parsed;
        }

        var package = values.TryGetValue("package", out var p) && p.Value.Length > 0 ? p.Value : null;
        return new ScanPolicyEntry(id.Value, package, reason.Value, expires, line);
    }

    /// <summary>
    /// Reads a plain <c>.trivyignore</c>: one ID per line, <c>#</c> comments, optional <c>exp:YYYY-MM-DD</c>.
    /// The reason becomes the file and line, since the format has no place for one.
    /// </summary>
    public static ScanPolicy ReadTrivyIgnore(string path)
    {
        var entries = new List<ScanPolicyEntry>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            DateOnly? expires = null;
            foreach (var option in parts.Skip(1))
            {
                if (!option.StartsWith("exp:", StringComparison.Ordinal)) continue;
                if (!DateOnly.TryParseExact(option[4..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    throw new PipelineException($"{path}:{number}: '{option}' is not a date; write it as exp:YYYY-MM-DD.");
                expires = parsed;
            }
            entries.Add(new ScanPolicyEntry(parts[0], null, $"listed in {Path.GetFileName(path)}", expires, $"{path}:{number}"));
        }
        return new ScanPolicy(entries) { Sources = [path] };
    }

    /// <summary>file:line:col (YamlDotNet's 1-based marks), so an editor jumps to the very field.</summary>
    private static PipelineException Error(string path, YamlNode node, string message) =>
        new($"{path}:{node.Start.Line}:{node.Start.Column}: {message}.");
}
