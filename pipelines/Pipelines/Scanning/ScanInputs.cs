using System.Text.Json;
using Pipelines.Workspace;

namespace Pipelines.Scanning;

/// <summary>
/// What a scan verdict depends on, for the Scan target's cache: the image by digest, the Trivy release and its
/// databases (version, updated-at), the gate (--fail-on, severities, scanners, unfixed), the policy and
/// .trivyignore. A cached verdict expires with the vulnerability DB (its next update, when a newer DB may know
/// new vulnerabilities), with --max-scan-age, or when a policy entry lapses, whichever comes first.
/// </summary>
internal static class ScanInputs
{
    /// <summary>Adds the scan's inputs and expiry to the fingerprint; runs <c>trivy version</c>.</summary>
    public static async Task DeclareAsync(Fingerprint inputs, TrivyOptions options, ScanSubject subject, TimeSpan maxScanAge,
        TrivyScanner scanner, CancellationToken cancellationToken)
    {
        inputs.Add("image", subject.Image).Add("identity", subject.Identity);
        if (subject.IsLocal) inputs.NotCacheable("a local image, built with --push false, is scanned every time");

        var version = await scanner.VersionJsonAsync(options, cancellationToken);
        inputs.Add("tool:trivy", version);
        var (release, vulnerabilityDb) = Databases(version);
        inputs.Add("trivy release", release);
        if (vulnerabilityDb?.NextUpdate is { } next) inputs.ValidUntil(next, "the vulnerability DB's next update");
        else if (vulnerabilityDb?.UpdatedAt is { } updated) inputs.ValidUntil(updated + TimeSpan.FromDays(1), "the vulnerability DB is a day old");
        inputs.MaxAge(maxScanAge, "--max-scan-age");

        inputs.Add("fail-on", options.FailOn)
            .Add("severities", options.Severities)
            .Add("scanners", options.Scanners)
            .Add("ignore-unfixed", options.IgnoreUnfixed)
            .Add("db-repositories", options.DbRepositories)
            .Add("java-db-repositories", options.JavaDbRepositories)
            .Add("skip-db-update", options.SkipDbUpdate)
            .Add("insecure", options.Insecure)
            .Add("platform", options.Platform)
            .Add("sbom", options.Sbom)
            .Add("trivy-path", options.TrivyPath)
            .Add("trivy-image", options.ContainerImage)
            .Add("policy", JsonSerializer.Serialize(options.Policy.Entries.Select(e => new { e.Id, e.Package, e.Expires, e.Reason })));
        if (options.IgnoreFile is { } ignoreFile) inputs.File(ignoreFile);
        foreach (var entry in options.Policy.Entries)
            if (entry.Expires is { } last)
                inputs.ValidUntil(new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), $"the policy entry {entry.Id} lapses");
    }

    private sealed record Database(DateTimeOffset? UpdatedAt, DateTimeOffset? NextUpdate);

    /// <summary>The release and the vulnerability DB's dates from <c>trivy version --format json</c>.</summary>
    private static (string? Release, Database? VulnerabilityDb) Databases(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var release = root.TryGetProperty("Version", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString() : null;
            if (!root.TryGetProperty("VulnerabilityDB", out var db) || db.ValueKind != JsonValueKind.Object) return (release, null);
            return (release, new Database(Time(db, "UpdatedAt"), Time(db, "NextUpdate")));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static DateTimeOffset? Time(JsonElement db, string name) =>
            db.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time : null;
    }
}
