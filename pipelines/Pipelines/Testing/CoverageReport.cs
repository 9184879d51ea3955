using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Pipelines.Testing;

/// <summary>One source file's coverage: its lines and branches, counted once however many test projects ran it.</summary>
/// <param name="Path">The file's path relative to the repository root, with <c>/</c> (absolute when it lies outside).</param>
/// <param name="Project">The assembly the file is compiled into (Cobertura's package).</param>
/// <param name="Lines">Coverable line number → (hits, branches covered, branches).</param>
internal sealed record FileCoverage(string Path, string Project, IReadOnlyDictionary<int, LineCoverage> Lines)
{
    /// <summary>Lines with at least one hit, and lines that could have one.</summary>
    public CoverageCounts Counts => new(
        Lines.Values.Count(l => l.Hits > 0), Lines.Count,
        Lines.Values.Sum(l => l.BranchesCovered), Lines.Values.Sum(l => l.Branches));
}

/// <summary>One coverable line: how often it ran, and of its branches how many were taken.</summary>
internal sealed record LineCoverage(long Hits, int BranchesCovered, int Branches);

/// <summary>Covered and coverable lines and branches, summed; the percentages read from them.</summary>
internal sealed record CoverageCounts(int LinesCovered, int LinesValid, int BranchesCovered, int BranchesValid)
{
    /// <summary>Line coverage in percent; 100 when nothing is coverable (nothing was left untested).</summary>
    public double LinePercent => LinesValid == 0 ? 100 : 100.0 * LinesCovered / LinesValid;

    /// <summary>Branch coverage in percent; 100 when there is no branch.</summary>
    public double BranchPercent => BranchesValid == 0 ? 100 : 100.0 * BranchesCovered / BranchesValid;

    /// <summary>The two counts added.</summary>
    public static CoverageCounts operator +(CoverageCounts a, CoverageCounts b) =>
        new(a.LinesCovered + b.LinesCovered, a.LinesValid + b.LinesValid, a.BranchesCovered + b.BranchesCovered, a.BranchesValid + b.BranchesValid);

    /// <summary>
    /// A percentage with one decimal, rounded down: 74.96 % shows as 74.9, never as a 75.0 that a 75 % gate then refuses.
    /// </summary>
    public static string Format(double percent) =>
        (Math.Floor(percent * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary><c>81.2 % lines (130/160), 60.0 % branches (12/20)</c>.</summary>
    public override string ToString() =>
        $"{Format(LinePercent)} % lines ({LinesCovered}/{LinesValid}), {Format(BranchPercent)} % branches ({BranchesCovered}/{BranchesValid})";
}

/// <summary>
/// The coverage of one test run, merged from the Cobertura files coverlet writes (one per test project): a file two
/// projects exercise is counted once, a line covered when either covered it, and its branches counted as taken as the
/// run that took more of them says (Cobertura counts a line's branches without naming them).
/// </summary>
internal sealed partial record CoverageReport(IReadOnlyList<FileCoverage> Files)
{
    /// <summary>The totals over every file.</summary>
    public CoverageCounts Total => Files.Select(f => f.Counts).Aggregate(new CoverageCounts(0, 0, 0, 0), (a, b) => a + b);

    /// <summary>The totals per project (assembly), by name.</summary>
    public IReadOnlyList<(string Project, CoverageCounts Counts)> Projects => Files.GroupBy(f => f.Project, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => (g.Key, g.Select(f => f.Counts).Aggregate((a, b) => a + b))).ToList();

    /// <summary>The files with the lowest line coverage, then the most uncovered lines first.</summary>
    public IReadOnlyList<FileCoverage> LeastCovered(int count) => Files.Where(f => f.Lines.Count > 0)
        .OrderBy(f => f.Counts.LinePercent).ThenByDescending(f => f.Counts.LinesValid - f.Counts.LinesCovered).ThenBy(f => f.Path, StringComparer.Ordinal)
        .Take(count).ToList();

    /// <summary>Reads and merges Cobertura files; paths are shown relative to <paramref name="rootDirectory"/>.</summary>
    public static CoverageReport Merge(IEnumerable<string> coberturaFiles, string rootDirectory)
    {
        var files = new Dictionary<string, (string Project, Dictionary<int, LineCoverage> Lines)>(StringComparer.Ordinal);
        foreach (var path in coberturaFiles)
        {
            XDocument document;
            try { document = XDocument.Load(path); }
            catch (System.Xml.XmlException e) { throw new PipelineException($"Coverage: {path} is not a Cobertura XML file ({e.Message}); delete it and run Test again."); }
            var sources = document.Descendants("source").Select(s => s.Value.Trim()).Where(s => s.Length > 0).ToList();
            foreach (var package in document.Descendants("package"))
                foreach (var @class in package.Descendants("class"))
                {
                    var file = Display(Resolve((string?)@class.Attribute("filename") ?? "", sources), rootDirectory);
                    if (!files.TryGetValue(file, out var entry)) files[file] = entry = ((string?)package.Attribute("name") ?? "", []);
                    // The class's own <lines>; the <method> ones repeat them.
                    foreach (var line in @class.Elements("lines").Elements("line"))
                    {
                        var number = int.Parse((string)line.Attribute("number")!, CultureInfo.InvariantCulture);
                        var hits = long.Parse((string?)line.Attribute("hits") ?? "0", CultureInfo.InvariantCulture);
                        var (covered, branches) = Conditions((string?)line.Attribute("condition-coverage"));
                        entry.Lines[number] = entry.Lines.TryGetValue(number, out var seen)
                            ? new LineCoverage(Math.Max(seen.Hits, hits), Math.Max(seen.BranchesCovered, covered), Math.Max(seen.Branches, branches))
                            : new LineCoverage(hits, covered, branches);
                    }
                }
        }
        return new CoverageReport(files.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new FileCoverage(f.Key, f.Value.Project, f.Value.Lines)).ToList());
    }

    /// <summary>Writes the merged report as Cobertura (one class per file, paths relative to the root), for CI's coverage viewers.</summary>
    public void WriteCobertura(string path, string rootDirectory)
    {
        static string Rate(double percent) => (percent / 100).ToString("0.####", CultureInfo.InvariantCulture);
        var total = Total;
        var document = new XDocument(new XElement("coverage",
            new XAttribute("line-rate", Rate(total.LinePercent)), new XAttribute("branch-rate", Rate(total.BranchPercent)),
            new XAttribute("version", "1.9"), new XAttribute("timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            new XAttribute("lines-covered", total.LinesCovered), new XAttribute("lines-valid", total.LinesValid),
            new XAttribute("branches-covered", total.BranchesCovered), new XAttribute("branches-valid", total.BranchesValid),
            new XElement("sources", new XElement("source", rootDirectory)),
            new XElement("packages", Projects.Select(project => new XElement("package",
                new XAttribute("name", project.Project), new XAttribute("line-rate", Rate(project.Counts.LinePercent)),
                new XAttribute("branch-rate", Rate(project.Counts.BranchPercent)),
                new XElement("classes", Files.Where(f => f.Project == project.Project).Select(file => new XElement("class",
                    new XAttribute("name", file.Path), new XAttribute("filename", file.Path),
                    new XAttribute("line-rate", Rate(file.Counts.LinePercent)), new XAttribute("branch-rate", Rate(file.Counts.BranchPercent)),
                    new XElement("lines", file.Lines.OrderBy(l => l.Key).Select(line => new XElement("line",
                        new XAttribute("number", line.Key), new XAttribute("hits", line.Value.Hits),
                        new XAttribute("branch", line.Value.Branches > 0 ? "True" : "False"),
                        line.Value.Branches > 0
                            ? new XAttribute("condition-coverage", $"{100 * line.Value.BranchesCovered / line.Value.Branches}% ({line.Value.BranchesCovered}/{line.Value.Branches})")
                            : null)))))))))));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        document.Save(path);
    }

    /// <summary>A class's file: coverlet writes it relative to one of the report's sources (<c>/</c> for absolute paths).</summary>
    private static string Resolve(string filename, IReadOnlyList<string> sources)
    {
        if (System.IO.Path.IsPathRooted(filename) || sources.Count == 0) return filename;
        var candidates = sources.Select(s => System.IO.Path.Combine(s, filename)).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    private static string Display(string path, string rootDirectory)
    {
        if (!System.IO.Path.IsPathRooted(path)) return path.Replace('\\', '/');
        var relative = System.IO.Path.GetRelativePath(rootDirectory, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? path : relative).Replace('\\', '/');
    }

    /// <summary>Cobertura's <c>condition-coverage="50% (1/2)"</c> as (1, 2); (0, 0) on a line without branches.</summary>
    private static (int Covered, int Total) Conditions(string? text) =>
        text is not null && ConditionPattern().Match(text) is { Success: true } m
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : (0, 0);

    [GeneratedRegex(@"\((\d+)/(\d+)\)")]
    private static partial Regex ConditionPattern();
}
