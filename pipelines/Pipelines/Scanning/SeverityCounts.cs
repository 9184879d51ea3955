using System.Text.Json.Serialization;

namespace Pipelines.Scanning;

/// <summary>How many findings there are at each severity.</summary>
internal sealed record SeverityCounts(int Critical, int High, int Medium, int Low, int Unknown)
{
    /// <summary>No findings.</summary>
    public static SeverityCounts Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The number of findings at every level.</summary>
    [JsonIgnore]
    public int Total => Critical + High + Medium + Low + Unknown;

    /// <summary>The number of findings at one level.</summary>
    public int this[Severity severity] => severity switch
    {
        Severity.Critical => Critical,
        Severity.High => High,
        Severity.Medium => Medium,
        Severity.Low => Low,
        _ => Unknown,
    };

    /// <summary>Counts findings per severity.</summary>
    public static SeverityCounts Of(IEnumerable<Finding> findings)
    {
        var list = findings.ToList();
        int Count(Severity s) => list.Count(f => f.Severity == s);
        return new(Count(Severity.Critical), Count(Severity.High), Count(Severity.Medium), Count(Severity.Low), Count(Severity.Unknown));
    }

    /// <summary><c>CRITICAL 2, HIGH 0, MEDIUM 4, LOW 0, UNKNOWN 0</c></summary>
    public override string ToString() =>
        string.Join(", ", Severities.Descending.Select(s => $"{s.ToTrivyName()} {this[s]}"));
}
