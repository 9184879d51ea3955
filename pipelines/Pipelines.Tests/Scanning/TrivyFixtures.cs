using Pipelines.Scanning;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Scanning;

/// <summary>The Trivy goldens in <c>../shared/fixtures/trivy</c> and the counts their README gives.</summary>
public static class TrivyFixtures
{
    public static string Directory => TestPaths.SharedFile("fixtures", "trivy");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    internal static TrivyReport Read(string name) => TrivyReportReader.ReadFile(PathOf(name));

    /// <summary>Findings per severity (critical, high, medium, low, unknown), from the fixtures' README.</summary>
    internal static IReadOnlyDictionary<string, SeverityCounts> ExpectedCounts { get; } = new Dictionary<string, SeverityCounts>
    {
        ["alpine-310.json.golden"] = new(0, 0, 4, 0, 0),
        ["alpine-310.v0.35.0.json.golden"] = new(0, 0, 4, 0, 0),
        ["alpine-39.json.golden"] = new(2, 0, 4, 0, 0),
        ["alpine-39-high-critical.json.golden"] = new(2, 0, 0, 0, 0),
        ["alpine-39-skip.json.golden"] = new(0, 0, 0, 0, 0),
        ["debian-buster.json.golden"] = new(1, 0, 0, 1, 0),
        ["debian-buster-ignore-unfixed.json.golden"] = new(1, 0, 0, 0, 0),
        ["sl-micro-rancher5.4.json.golden"] = new(0, 0, 0, 0, 0),
        ["fluentd-gems.json.golden"] = new(1, 1, 0, 0, 0),
        ["spring4shell-jre11.json.golden"] = new(1, 0, 0, 0, 0),
        ["opensuse-tumbleweed.json.golden"] = new(0, 0, 1, 0, 0),
        ["secrets.json.golden"] = new(1, 1, 0, 0, 0),
        ["dockerfile.json.golden"] = new(0, 1, 0, 0, 0),
    };

    /// <summary>Every JSON golden in the folder (not the table above), so a new fixture cannot go untested.</summary>
    public static TheoryData<string> JsonGoldens()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.json.golden").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            data.Add(file!);
        return data;
    }
}
