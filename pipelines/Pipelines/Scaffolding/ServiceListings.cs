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
        var (lines, newline) = SplitLines(source);
        var open = lines.FindIndex(l => ServicesOpening().IsMatch(l));
        // `Services =>` on the file's last line has no `[` line after it: the shape is not the one this edit knows.
        if (open >= 0 && !lines[open].TrimEnd().EndsWith('[')) open = open + 1 < lines.Count && lines[open + 1].Trim() == "[" ? open + 1 : -1;
        var close = open < 0 ? -1 : lines.FindIndex(open + 1, l => l.Trim() == "];");
        if (close < 0)
            throw new PipelineException($"{file}: no `Services =>` list written as `[`, one item per line, `];` was found, so AddService cannot add `{entry}` to it. " +
                $"Write Services in that shape (as the template does), or add the line and the service's files by hand (manifests/README.md).");
        var last = close - 1;
        while (last > open && (lines[last].Trim().Length == 0 || lines[last].TrimStart().StartsWith("//") || lines[last].TrimStart().StartsWith('#'))) last--;
        var indent = new string(' ', lines[open].Length - lines[open].TrimStart().Length + 4);
        if (last > open && !lines[last].TrimEnd().EndsWith(',')) lines[last] = lines[last].TrimEnd() + ",";
        lines.Insert(close, indent + entry);
        return string.Join(newline, lines);
    }

    /// <summary>A YAML file with <paramref name="entry"/> after the last item of its top-level <c>resources:</c> list.</summary>
    public static string AddToResources(string yaml, string entry, string file)
    {
        var (lines, newline) = SplitLines(yaml);
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
        return string.Join(newline, lines);
    }

    /// <summary>The admission policy with the service's repository (<paramref name="entry"/>, unindented) after the last <c>imageReferences</c> item, indented as that item is.</summary>
    public static string AddToPolicy(string policy, string entry, string file)
    {
        var (lines, newline) = SplitLines(policy);
        var last = lines.FindLastIndex(l => PolicyReference().IsMatch(l));
        if (last < 0) throw NoPolicyReference(file);
        var indent = lines[last][..(lines[last].Length - lines[last].TrimStart().Length)];
        lines.Insert(last + 1, indent + entry.TrimStart());
        return string.Join(newline, lines);
    }

    /// <summary>The registry (host[/namespace]) the policy's last <c>imageReferences</c> item names its repository under.</summary>
    public static string RegistryOf(string policy, string file) =>
        SplitLines(policy).Lines.Select(l => PolicyReference().Match(l)).LastOrDefault(m => m.Success)?.Groups["registry"].Value ?? throw NoPolicyReference(file);

    /// <summary>The namespace file with one more document.</summary>
    public static string AddDocument(string yaml, string document)
    {
        var (_, newline) = SplitLines(yaml);
        return yaml.TrimEnd('\r', '\n') + newline + "---" + newline + document.ReplaceLineEndings(newline);
    }

    private static PipelineException NoPolicyReference(string file) =>
        new($"{file}: no `imageReferences` item like `- \"<registry>/<service>*\"` was found, so AddService cannot add the new service's repository (nor tell the registry). " +
            "List each service's repository there, one per line, as the template does.");

    // An edit keeps the file's line ending (a CRLF file rewritten as LF is a diff of every line): CRLF when the file uses it.
    private static (List<string> Lines, string Newline) SplitLines(string text) =>
        ([.. text.Replace("\r\n", "\n").Split('\n')], text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n");

    [GeneratedRegex(@"^\s*(?:(?:protected|public|internal)\s+)?(?:override\s+)?IReadOnlyList<Service>\s+Services\s*=>\s*\[?\s*$")]
    private static partial Regex ServicesOpening();

    [GeneratedRegex("""^\s+- "(?<registry>[^"*]+)/(?<service>[a-z0-9-]+)\*"\s*$""")]
    private static partial Regex PolicyReference();
}
