using Pipelines.Logging;

namespace Pipelines.Scanning;

/// <summary>
/// Scans an image with Trivy and decides the gate from its JSON report. The steps: find Trivy (the binary,
/// else its image through Docker), check its version, scan into <c>trivy.json</c>, read the report, apply the
/// policy and the threshold, write SARIF and the summary. Anything short of a complete, readable report
/// (Trivy missing, a refused release, a non-zero exit, a timeout) throws: a scan that did not run never passes.
/// </summary>
internal sealed partial class TrivyScanner
{
    /// <summary>Where to send someone who has neither Trivy nor Docker.</summary>
    public const string InstallHint =
        "install Trivy (https://trivy.dev/latest/getting-started/installation/, e.g. `brew install trivy` or the release .deb/.rpm) or pass --trivy-path <path to the trivy binary>";

    private readonly ILog _log;
    private readonly ITrivyContainerRunner? _containers;
    private readonly TimeProvider _clock;

    /// <param name="containers">Runs Trivy's image when no binary is installed; null: no fallback.</param>
    /// <param name="clock">Decides which policy entries have expired; the system clock by default.</param>
    public TrivyScanner(ILog log, ITrivyContainerRunner? containers = null, TimeProvider? clock = null)
    {
        _log = log;
        _containers = containers;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// A failed run (a non-zero exit, a timeout, an unparsable report, another image) must leave nothing that reads
    /// as a report: what Trivy wrote is kept for diagnosis as <c>trivy.json.incomplete</c>, never as <c>trivy.json</c>.
    /// </summary>
    private void SetAsideIncompleteReport(TrivyOptions options)
    {
        if (!File.Exists(options.ReportPath)) return;
        var incomplete = options.ReportPath + ".incomplete";
        File.Move(options.ReportPath, incomplete, overwrite: true);
        _log.Warn($"Trivy's output of this failed run is kept as {incomplete}, not as a report.");
    }

    /// <summary>Scans the image, writes the reports and judges the findings against the gate and policy.</summary>
    public async Task<ScanResult> ScanAsync(TrivyOptions options, CancellationToken cancellationToken)
    {
        var digest = options.LocalImageId ?? DigestOf(options.Image);
        WarnAboutHiddenSeverities(options);

        // Stale outputs from an earlier run must not be mistaken for this run's.
        Directory.CreateDirectory(options.OutputDirectory);
        foreach (var stale in new[] { options.ReportPath, options.SarifPath, options.SummaryPath, options.SbomPath })
            File.Delete(stale);
        Directory.CreateDirectory(options.CacheDirectory);

        var trivy = await LocateAsync(options, cancellationToken);
        var version = await CheckVersionAsync(trivy, options, cancellationToken);
        _log.Info($"Scanning {options.Image} with Trivy {version.Version}{(trivy.InContainer ? $" in a container ({options.ContainerImage})" : "")}, fail on {options.FailOn.ToTrivyName()} or above");

        TrivyReport report;
        try
        {
            await RunScanAsync(trivy, options, cancellationToken);
            report = TrivyReportReader.ReadFile(options.ReportPath);
            EnsureReportIsAbout(report, options);
            // A local tag can name another build of the same commit: the verdict must be about the image that was built.
            if (options.LocalImageId is { } local && report.ImageId is { } scanned && scanned != local)
                throw new PipelineException($"Trivy scanned {scanned} for {options.Image}, not the image this build made ({local}); build again and scan right after it.");
        }
        catch
        {
            SetAsideIncompleteReport(options);
            throw;
        }

        var policy = options.Policy;
        if (options.IgnoreFile is { } ignoreFile && File.Exists(ignoreFile) && !IsYaml(ignoreFile))
            policy = policy.Merge(ScanPolicyReader.ReadTrivyIgnore(ignoreFile));
        var now = _clock.GetUtcNow();
        var decision = SeverityGate.Evaluate(report, policy, options.FailOn, DateOnly.FromDateTime(now.UtcDateTime));
        foreach (var entry in decision.Expired)
            _log.Warn($"Scan policy entry {entry} has expired and no longer ignores anything; renew it with a new date or fix the finding.");
        if (decision.Ignored.Count > 0)
            _log.Info($"The scan policy accepted {decision.Ignored.Count} finding(s).");

        await File.WriteAllTextAsync(options.SarifPath, SarifWriter.Write(report, decision, version.Version, options.SarifCategory), cancellationToken);
        await File.WriteAllTextAsync(options.SummaryPath, ScanSummaryWriter.Write(options.Image, decision, version.Version), cancellationToken);
        string? sbom = null;
        if (options.Sbom)
        {
            await ConvertToSbomAsync(trivy, options, cancellationToken);
            sbom = options.SbomPath;
        }

        _log.Info($"Scan {(decision.Passed ? "passed" : "failed")}: {decision.Counts}");
        return new ScanResult(options.Image, digest, version, report, decision, now, trivy.InContainer,
            options.ReportPath, options.SarifPath, options.SummaryPath, sbom);
    }

    /// <summary>
    /// A report is the verdict of the image it names: Trivy writes what it was given as <c>ArtifactName</c>, so a report
    /// naming another image (a stale file, another service's, a copied one) is refused rather than recorded as this
    /// digest's verdict. The same digest under another name is the same image.
    /// </summary>
    internal static void EnsureReportIsAbout(TrivyReport report, TrivyOptions options)
    {
        var named = report.ArtifactName;
        if (named == options.Image) return;
        if (named.Length > 0 && options.LocalImageId is null && DigestPart(named) is { } digest && digest == DigestPart(options.Image)) return;
        throw new PipelineException(
            $"The Trivy report {options.ReportPath} is about {(named.Length == 0 ? "no image (its ArtifactName is empty)" : named)}, not the image scanned, {options.Image}; " +
            "it is not taken as that image's verdict. Re-run the scan; if it persists, check that nothing else writes that report path.");
    }

    private static string? DigestPart(string image) => image.LastIndexOf('@') is var at and >= 0 ? image[(at + 1)..] : null;

    /// <summary><c>sha256:…</c> from <c>ref@sha256:…</c>; throws when the reference has no digest.</summary>
    public static string DigestOf(string image)
    {
        var at = image.LastIndexOf('@');
        var digest = at < 0 ? "" : image[(at + 1)..];
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71 || !digest[7..].All(char.IsAsciiHexDigitLower))
            throw new PipelineException($"The image to scan, '{image}', has no digest; give it as <ref>@sha256:<64 hex digits> (--image), so that the verdict is about exactly the image that is deployed.");
        return digest;
    }

    private void WarnAboutHiddenSeverities(TrivyOptions options)
    {
        if (options.Severities.Count == 0) return;
        var hidden = Severities.AtOrAbove(options.FailOn).Where(s => !options.Severities.Contains(s)).ToList();
        if (hidden.Count > 0)
            _log.Warn($"--scan-severity leaves out {string.Join(", ", hidden.Select(s => s.ToTrivyName()))}, which --fail-on {options.FailOn.ToTrivyName()} would fail on: Trivy will not report them, so the gate cannot see them.");
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
