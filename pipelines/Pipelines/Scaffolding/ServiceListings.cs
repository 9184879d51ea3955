using System.Text.RegularExpressions;

namespace Pipelines.Scaffolding;

/// <summary>
/// The edits a new service makes to files every service shares: a line in the build's <c>Services</c> list, an entry
/// in each environment's list of apps, a namespace, a repository in the admission policy. Each edit inserts lines in
/// the file's own style (a diff a person reads), or says why the file's shape is not the one it knows.
/// </summary>
internal static partial class ServiceListings
{
    /// <summary>The build's source with <paramref name="entry"/> as the last item of the <c>Services =&gt; [ … ];</c> list.</summary>
    public static string AddToServices(string source, string entry, string file)
    {
        var lines = SplitLines(source);
        var open = lines.FindIndex(l => ServicesOpening().IsMatch(l));
        if (open >= 0 && !lines[open].TrimEnd().EndsWith('[')) open = lines[open + 1].Trim() == "[" ? open + 1 : -1;
        var close = open < 0 ? -1 : lines.FindIndex(open + 1, l => l.Trim() == "];");
        if (close < 0)
            throw new PipelineException($"{file}: no `Services =>` list written as `[`, one item per line, `];` was found, so AddService cannot add `{entry}` to it. " +
                $"Write Services in that shape (as the template does), or add the line and the service's files by hand (manifests/README.md).");
        var last = close - 1;
        while (last > open && (lines[last].Trim().Length == 0 || lines[last].TrimStart().StartsWith("//") || lines[last].TrimStart().StartsWith('#'))) last--;
        var indent = new string(' ', lines[open].Length - lines[open].TrimStart().Length + 4);
        if (last > open && !lines[last].TrimEnd().EndsWith(',')) lines[last] = lines[last].TrimEnd() + ",";
        lines.Insert(close, indent + entry);
        return string.Join('\n', lines);
    }

    /// <summary>A YAML file with <paramref name="entry"/> after the last item of its top-level <c>resources:</c> list.</summary>
    public static string AddToResources(string yaml, string entry, string file)
    {
        var lines = SplitLines(yaml);
        var start = lines.FindIndex(l => l.TrimEnd() == "resources:");
        var last = start;
        for (var i = start + 1; start >= 0 && i < lines.Count; i++)
        {
            if (lines[i].TrimStart().StartsWith("- ")) last = i;
            else if (lines[i].Trim().Length > 0 && !lines[i].TrimStart().StartsWith('#')) break;
        }
        if (last <= start)
            throw new PipelineException($"{file}: no `resources:` list with one `- path` per line was found, so AddService cannot add `{entry.Trim()}` to it. " +
                "List the apps of the environment there, one overlay per line (`  - ../../apps/<service>/overlays/<env>`).");
        lines.Insert(last + 1, entry);
        return string.Join('\n', lines);
    }

    /// <summary>The admission policy with the service's repository after the last <c>imageReferences</c> item.</summary>
    public static string AddToPolicy(string policy, string entry, string file)
    {
        var lines = SplitLines(policy);
        var last = lines.FindLastIndex(l => PolicyReference().IsMatch(l));
        if (last < 0) throw NoPolicyReference(file);
        lines.Insert(last + 1, entry);
        return string.Join('\n', lines);
    }

    /// <summary>The registry (host[/namespace]) the policy's last <c>imageReferences</c> item names its repository under.</summary>
    public static string RegistryOf(string policy, string file) =>
        SplitLines(policy).Select(l => PolicyReference().Match(l)).LastOrDefault(m => m.Success)?.Groups["registry"].Value ?? throw NoPolicyReference(file);

    /// <summary>The namespace file with one more document.</summary>
    public static string AddDocument(string yaml, string document) =>
        yaml.TrimEnd('\n') + "\n---\n" + document;

    private static PipelineException NoPolicyReference(string file) =>
        new($"{file}: no `imageReferences` item like `- \"<registry>/<service>*\"` was found, so AddService cannot add the new service's repository (nor tell the registry). " +
            "List each service's repository there, one per line, as the template does.");

    private static List<string> SplitLines(string text) => [.. text.Replace("\r\n", "\n").Split('\n')];

    [GeneratedRegex(@"^\s*(?:(?:protected|public|internal)\s+)?(?:override\s+)?IReadOnlyList<Service>\s+Services\s*=>\s*\[?\s*$")]
    private static partial Regex ServicesOpening();

    [GeneratedRegex("""^\s+- "(?<registry>[^"*]+)/(?<service>[a-z0-9-]+)\*"\s*$""")]
    private static partial Regex PolicyReference();
}
