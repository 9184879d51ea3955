using Pipelines;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Scanning;
using Pipelines.Targets;

partial class Build
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

    Target Scan => _ => _
        .DependsOn(Containerize)
        .Description("Scans the image by digest with Trivy; fails on findings at or above --fail-on the scan policy does not accept. Report, SARIF and summary in artifacts/scan")
        .Produces([.. ScanOutputs.All])
        .Inputs(async (inputs, cancellationToken) =>
        {
            var subject = ScanSubject.Resolve(Image, State);
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            await ScanInputs.DeclareAsync(inputs, ScanOptions(subject), subject, MaxScanAge, new TrivyScanner(Log, new DockerTrivyRunner(docker)), cancellationToken);
        })
        .OutputFiles("artifacts/scan")
        .Executes(async ctx =>
        {
            var subject = ScanSubject.Resolve(Image, ctx.State);
            if (subject.IsLocal) ctx.Log.Info($"Scanning the local image {subject.Image} ({subject.Identity}): it was built with --push false.");
            // Recorded first: a scan that fails or never finishes leaves "not passed", never an earlier pass.
            var outputs = new ScanOutputs(ctx.State, ctx.Publish);
            outputs.MarkPending(subject.Image, subject.Identity, DateTimeOffset.UtcNow);

            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), ctx.Log);
            var result = await new TrivyScanner(ctx.Log, new DockerTrivyRunner(docker)).ScanAsync(ScanOptions(subject), ctx.CancellationToken);

            outputs.Record(result);
            Host.AppendSummary(File.ReadAllText(result.SummaryPath));
            ctx.Note("Scan", $"{(result.Passed ? "passed" : "failed")}: {result.Decision.Counts} (Trivy {result.Trivy.Version})");
            if (!result.Passed)
            {
                if (!subject.IsLocal) await AttestFailedScanAsync(result.ToVerdict(), ctx);
                throw new PipelineException(result.FailureMessage!);
            }
        });

    TrivyOptions ScanOptions(ScanSubject subject)
    {
        var policyPath = ScanPolicy is { Length: > 0 } given
            ? Path.GetFullPath(given, RootDirectory)
            : Path.Combine(RootDirectory, ".gitops", "scan-policy.yaml");
        var policy = ScanPolicy is { Length: > 0 } || File.Exists(policyPath)
            ? ScanPolicyReader.ReadFile(policyPath)
            : Pipelines.Scanning.ScanPolicy.Empty;
        var ignoreFile = Path.Combine(RootDirectory, ".trivyignore");

        return new TrivyOptions(subject.Image, Path.Combine(ArtifactsDirectory, "scan"), Path.GetFullPath(TrivyCacheDir, RootDirectory))
        {
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
