using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipelines.Scanning;

/// <summary>What <c>trivy version --format json</c> said, and whether that release may be used.</summary>
/// <param name="Version">e.g. <c>0.74.0</c>; <c>dev</c> for a local build.</param>
/// <param name="VulnerabilityDbUpdatedAt">When the cached vulnerability DB was built; null when none is cached.</param>
internal sealed partial record TrivyVersion(string Version, DateTimeOffset? VulnerabilityDbUpdatedAt)
{
    /// <summary>
    /// Releases published by the 2026-03-19 supply-chain compromise (GHSA-69fq-xp46-6x23): v0.69.4, and the
    /// v0.69.5 and v0.69.6 images reported by third parties. They must never run in a pipeline.
    /// </summary>
    public static IReadOnlyList<string> Compromised { get; } = ["0.69.4", "0.69.5", "0.69.6"];

    /// <summary>True for a release known to be compromised, which must never run.</summary>
    public bool IsCompromised => NumericPart() is { } numeric && Compromised.Contains(numeric);

    /// <summary><c>0.69.4</c> from <c>v0.69.4</c> or <c>0.69.4-rc1</c>; null for a non-numeric version.</summary>
    private string? NumericPart() =>
        SemanticVersion().Match(Version) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>Reads the version from <c>trivy version --format json</c>.</summary>
    public static TrivyVersion Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.String)
                throw new PipelineException("`trivy version --format json` printed no Version; use a Trivy release from v0.56 on.");
            DateTimeOffset? updated = root.TryGetProperty("VulnerabilityDB", out var db) && db.ValueKind == JsonValueKind.Object
                && db.TryGetProperty("UpdatedAt", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var time)
                ? time
                : null;
            return new TrivyVersion(version.GetString()!, updated);
        }
        catch (JsonException)
        {
            var firstLine = json.Split('\n', 2)[0].Trim();
            throw new PipelineException($"`trivy version --format json` did not print JSON ('{firstLine}'); use a Trivy release from v0.56 on, or point --trivy-path at one.");
        }
    }

    [GeneratedRegex(@"^v?(\d+\.\d+\.\d+)")]
    private static partial Regex SemanticVersion();
}
