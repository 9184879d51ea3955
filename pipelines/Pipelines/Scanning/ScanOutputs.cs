using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Workspace;

namespace Pipelines.Scanning;

/// <summary>
/// Publishes a scan's outputs (<c>SCAN_PASSED</c>, counts per severity, <c>SCAN_SUMMARY</c>) and its
/// <see cref="ScanVerdict"/> in the state. <see cref="MarkPending"/> runs before the scan, so an earlier
/// pass in the state file can never outlive a scan that failed or did not finish.
/// </summary>
/// <param name="publish">Publishes a declared output (a target's <c>ctx.Publish</c>).</param>
internal sealed class ScanOutputs(PipelineState state, Action<string, string> publish)
{
    /// <summary>Output name: <c>true</c> when the scan passed the gate.</summary>
    public const string Passed = "SCAN_PASSED";
    /// <summary>Output name: the number of critical findings.</summary>
    public const string Critical = "SCAN_CRITICAL";
    /// <summary>Output name: the number of high findings.</summary>
    public const string High = "SCAN_HIGH";
    /// <summary>Output name: the number of medium findings.</summary>
    public const string Medium = "SCAN_MEDIUM";
    /// <summary>Output name: the number of low findings.</summary>
    public const string Low = "SCAN_LOW";
    /// <summary>Output name: the number of findings of unknown severity.</summary>
    public const string Unknown = "SCAN_UNKNOWN";
    /// <summary>Output name: the verdict as JSON (passed, digest, counts), for later jobs.</summary>
    public const string Summary = "SCAN_SUMMARY";

    /// <summary>Every output, for a target's <c>Produces</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [Passed, Critical, High, Medium, Low, Unknown, Summary];

    /// <summary>
    /// Records "not passed" for the image about to be scanned, and clears the counts of an earlier scan so
    /// that they are not read as this one's.
    /// </summary>
    public void MarkPending(string image, string imageDigest, DateTimeOffset now)
    {
        ScanVerdicts.Record(state, new ScanVerdict(imageDigest, image, false, SeverityCounts.Zero, null, now));
        publish(Passed, "false");
        foreach (var count in new[] { Critical, High, Medium, Low, Unknown }) publish(count, "");
        publish(Summary, new JsonObject { ["passed"] = false, ["digest"] = imageDigest, ["completed"] = false }.ToJsonString());
    }

    /// <summary>Publishes a completed scan's verdict and counts.</summary>
    public void Record(ScanResult result)
    {
        ScanVerdicts.Record(state, result.ToVerdict());
        Publish(publish, [("", result)]);
    }

    /// <summary>
    /// Publishes the verdict of one or several completed scans (one per service): passed only when all passed and
    /// <paramref name="complete"/> (every service was scanned), the counts summed. The summary is the scan's own for one;
    /// for several a small aggregate (the failing services by name, the summed counts), since a Tekton result holds 4 KB.
    /// </summary>
    public static void Publish(Action<string, string> publish, IReadOnlyList<(string Service, ScanResult Result)> results, bool complete = true)
    {
        var counts = results.Select(r => r.Result.Decision.Counts).ToList();
        var passed = complete && results.All(r => r.Result.Passed);
        publish(Critical, Number(counts.Sum(c => c.Critical)));
        publish(High, Number(counts.Sum(c => c.High)));
        publish(Medium, Number(counts.Sum(c => c.Medium)));
        publish(Low, Number(counts.Sum(c => c.Low)));
        publish(Unknown, Number(counts.Sum(c => c.Unknown)));
        publish(Summary, results is [var only] && complete ? SummaryJson(only.Result) : new JsonObject
        {
            ["passed"] = passed,
            ["services"] = results.Count,
            ["failed"] = new JsonArray(results.Where(r => !r.Result.Passed).Select(r => (JsonNode?)r.Service).ToArray()),
            ["complete"] = complete,
            ["critical"] = counts.Sum(c => c.Critical),
            ["high"] = counts.Sum(c => c.High),
            ["medium"] = counts.Sum(c => c.Medium),
            ["low"] = counts.Sum(c => c.Low),
            ["unknown"] = counts.Sum(c => c.Unknown),
        }.ToJsonString());
        publish(Passed, passed ? "true" : "false");
    }

    /// <summary>A one-line JSON for a Tekton result: small enough for the 4 KB result limit.</summary>
    public static string SummaryJson(ScanResult result) => new JsonObject
    {
        ["passed"] = result.Passed,
        ["digest"] = result.ImageDigest,
        ["failOn"] = result.Decision.FailOn.ToTrivyName(),
        ["critical"] = result.Decision.Counts.Critical,
        ["high"] = result.Decision.Counts.High,
        ["medium"] = result.Decision.Counts.Medium,
        ["low"] = result.Decision.Counts.Low,
        ["unknown"] = result.Decision.Counts.Unknown,
        ["ignored"] = result.Decision.Ignored.Count,
        ["trivy"] = result.Trivy.Version,
    }.ToJsonString();

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
