using Pipelines.Logging;
using Pipelines;
using Pipelines.Docker;
using Pipelines.Scanning;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("Severities Trivy reports (--severity), e.g. CRITICAL,HIGH; default: all five")]
    readonly string[] ScanSeverity = [];

    [Parameter("Scan fails on a finding at or above this severity that the scan policy does not accept: critical, high, medium, low or unknown")]
    readonly Severity FailOn = Severity.High;

    [Parameter("Leave out vulnerabilities that have no fix yet (trivy --ignore-unfixed)")]
    readonly bool IgnoreUnfixed;

    [Parameter("Trivy scanners (--scanners): vuln, secret, misconfig, license")]
    readonly string[] ScanScanners = ["vuln", "secret"];

    [Parameter("Trivy's --timeout: the whole scan, database download included")]
    readonly TimeSpan ScanTimeout = TimeSpan.FromMinutes(5);

    [Parameter("The trivy binary to run; default: trivy on PATH, else Trivy's image through Docker")]
    readonly string? TrivyPath;

    [Parameter("The Trivy image the Docker fallback runs when no trivy binary is installed")]
    readonly string TrivyImage = TrivyContainerRun.DefaultImage;

    [Parameter("Scan policy file (accepted findings with id, reason, expires); default: .gitops/scan-policy.yaml when present")]
    readonly string? ScanPolicy;

    [Parameter("Trivy vulnerability DB repositories in order of preference (mirrors first, e.g. an ACR copy); default: Trivy's")]
    readonly string[] DbRepository = [];

    [Parameter("Trivy Java DB repositories in order of preference; default: Trivy's")]
    readonly string[] JavaDbRepository = [];

    [Parameter("Use the cached Trivy DB without updating it (air-gapped runs with a warm --trivy-cache-dir)")]
    readonly bool SkipDbUpdate;

    [Parameter("Let Trivy reach plain-HTTP or self-signed registries (trivy --insecure)")]
    readonly bool ScanInsecure;

    [Parameter("Platform of a multi-platform image to scan, os/arch (trivy --platform)")]
    readonly string? ScanPlatform;

    [Parameter("Also write a CycloneDX SBOM to artifacts/scan/sbom.cdx.json (Sign attaches it)")]
    readonly bool Sbom;

    [Parameter("Trivy's cache (databases, scan cache); one per job when jobs run in parallel")]
    readonly string TrivyCacheDir = Path.Combine(".gitops", "cache", "trivy");

    /// <summary>Scans every selected service's image and gates on the findings.</summary>
    public virtual Target Scan => _ => _
        .DependsOn(Containerize)
        .Description("Scans each service's image by digest with Trivy; fails on findings at or above --fail-on the scan policy does not accept. Report, SARIF and summary in artifacts/scan")
        .Produces([.. ScanOutputs.All])
        .Inputs(async (inputs, cancellationToken) =>
        {
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            foreach (var service in SelectedServices)
            {
                var subject = ServiceImages.ScanSubjectOf(State, service.Name, Image);
                await ScanInputs.DeclareAsync(inputs.For(service.Name), ScanOptions(service, subject), subject, MaxScanAge, new TrivyScanner(Log, new DockerTrivyRunner(docker)), cancellationToken);
            }
        })
        .OutputFiles("artifacts/scan")
        .Executes(async ctx =>
        {
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), ctx.Log);
            var failures = new List<string>();
            var results = new List<(string Service, ScanResult Result)>();
            foreach (var service in SelectedServices)
            {
                var subject = ServiceImages.ScanSubjectOf(ctx.State, service.Name, Image);
                if (subject.IsLocal) ctx.Log.Info($"Scanning the local image {subject.Image} ({subject.Identity}): it was built with --push false.");
                // Recorded first: a scan that fails or never finishes leaves "not passed", never an earlier pass; and the
                // folder loses an earlier scan's SBOM, so that Sign never attests another digest's.
                var outputs = new ScanOutputs(ctx.State, ctx.Publish);
                outputs.MarkPending(subject.Image, subject.Identity, DateTimeOffset.UtcNow);
                ctx.State.SetRecord(ScanStateKey(service), new ScanVerdict(subject.Identity, subject.Image, false, SeverityCounts.Zero, null, DateTimeOffset.UtcNow));
                if (File.Exists(Path.Combine(ScanDirectory(service), SbomFile))) File.Delete(Path.Combine(ScanDirectory(service), SbomFile));

                ScanResult result;
                try
                {
                    result = await new TrivyScanner(ctx.Log, new DockerTrivyRunner(docker)).ScanAsync(ScanOptions(service, subject), ctx.CancellationToken);
                }
                catch (PipelineException e) when (SelectedServices.Count > 1)
                {
                    // One service's scan that could not run fails the target, after the others had their turn.
                    failures.Add($"{service.Name}: {e.Message}");
                    continue;
                }
                ScanVerdicts.Record(ctx.State, result.ToVerdict());
                ctx.State.SetRecord(ScanStateKey(service), result.ToVerdict());
                results.Add((service.Name, result));
                Host.AppendSummary(File.ReadAllText(result.SummaryPath));
                ctx.Note(NoteFor("Scan", service), $"{(result.Passed ? "passed" : "failed")}: {result.Decision.Counts} (Trivy {result.Trivy.Version})");
                if (result.Passed) continue;
                if (!subject.IsLocal) await AttestFailedScanAsync(result.ToVerdict(), ctx);
                failures.Add(MessageFor(service, result.FailureMessage!));
            }
            if (failures.Count == 0 || results.Count > 0) ScanOutputs.Publish(ctx.Publish, results, complete: results.Count == SelectedServices.Count);
            if (failures.Count > 0) throw new PipelineException(string.Join(System.Environment.NewLine, failures));
        });

    /// <summary>The SBOM's file name in a service's scan folder.</summary>
    const string SbomFile = "sbom.cdx.json";

    /// <summary>The state record of a service's last scan (pending until it finishes): whose reports its folder holds.</summary>
    static string ScanStateKey(Service service) => $"{ScanVerdict.StateKey}:{service.Name}";

    /// <summary>
    /// Where a service's reports go: <c>artifacts/scan</c> when the build has one service, <c>artifacts/scan/&lt;service&gt;</c>
    /// when it has several (whatever <c>--service</c> selects, so a later Sign finds the same folder).
    /// </summary>
    string ScanDirectory(Service service) =>
        Services.Count == 1 ? Path.Combine(ArtifactsDirectory, "scan") : Path.Combine(ArtifactsDirectory, "scan", service.Name);

    TrivyOptions ScanOptions(Service service, ScanSubject subject)
    {
        var policyPath = ScanPolicy is { Length: > 0 } given
            ? Path.GetFullPath(given, RootDirectory)
            : Path.Combine(RootDirectory, ".gitops", "scan-policy.yaml");
        var policy = ScanPolicy is { Length: > 0 } || File.Exists(policyPath)
            ? ScanPolicyReader.ReadFile(policyPath)
            : Pipelines.Scanning.ScanPolicy.Empty;
        var ignoreFile = Path.Combine(RootDirectory, ".trivyignore");

        return new TrivyOptions(subject.Image, ScanDirectory(service), Path.GetFullPath(TrivyCacheDir, RootDirectory))
        {
            // One SARIF upload holding several services' scans needs a category per run.
            SarifCategory = Services.Count == 1 ? null : $"trivy/{service.Name}/",
            TrivyPath = TrivyPath ?? "trivy",
            LocalImageId = subject.IsLocal ? subject.Identity : null,
            ContainerImage = TrivyImage,
            FailOn = FailOn,
            Severities = ScanSeverity.Select(ParseSeverity).ToList(),
            IgnoreUnfixed = IgnoreUnfixed,
            Scanners = ScanScanners,
            Timeout = ScanTimeout,
            DbRepositories = DbRepository,
            JavaDbRepositories = JavaDbRepository,
            SkipDbUpdate = SkipDbUpdate,
            Insecure = ScanInsecure,
            Platform = ScanPlatform,
            Sbom = Sbom,
            RegistryUsername = RegistryUsername,
            RegistryPassword = RegistryPassword,
            Policy = policy,
            IgnoreFile = File.Exists(ignoreFile) ? ignoreFile : null,
            WorkingDirectory = RootDirectory,
        };
    }

    static Severity ParseSeverity(string text) =>
        Enum.TryParse<Severity>(text, ignoreCase: true, out var severity) && Enum.IsDefined(severity) && !int.TryParse(text, out _)
            ? severity
            : throw new PipelineException($"--scan-severity: '{text}' is not a Trivy severity; use CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN.");
}
