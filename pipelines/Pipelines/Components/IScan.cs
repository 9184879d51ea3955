using Pipelines.Workspace;
using Pipelines.Hosts;
using Pipelines.Docker;
using Pipelines.Scanning;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>The Scan stage: each service's image scanned by digest with Trivy and gated on the findings the policy does not accept.</summary>
public interface IScan : IContainerize, ISigningKeys
{
    [Parameter("Severities Trivy reports (--severity), e.g. CRITICAL,HIGH; default: all five")]
    string[] ScanSeverity => ValueOf(() => ScanSeverity, []);

    [Parameter("Scan fails on a finding at or above this severity that the scan policy does not accept: critical, high, medium, low or unknown")]
    Severity FailOn => ValueOf(() => FailOn, Severity.High);

    [Parameter("Leave out vulnerabilities that have no fix yet (trivy --ignore-unfixed)")]
    bool IgnoreUnfixed => ValueOf(() => IgnoreUnfixed, false);

    [Parameter("Trivy scanners (--scanners): vuln, secret, misconfig, license")]
    string[] ScanScanners => ValueOf(() => ScanScanners, ["vuln", "secret"]);

    [Parameter("Trivy's --timeout: the whole scan, database download included")]
    TimeSpan ScanTimeout => ValueOf(() => ScanTimeout, TimeSpan.FromMinutes(5));

    [Parameter("The trivy binary to run; default: trivy on PATH, else Trivy's image through Docker")]
    string? TrivyPath => ValueOf(() => TrivyPath, null);

    [Parameter("The Trivy image the Docker fallback runs when no trivy binary is installed")]
    string TrivyImage => ValueOf(() => TrivyImage, TrivyContainerRun.DefaultImage);

    [Parameter("Scan policy file (accepted findings with id, reason, expires); default: " + WorkspaceLayout.Relative.ScanPolicy + " when present")]
    string? ScanPolicy => ValueOf(() => ScanPolicy, null);

    [Parameter("Trivy vulnerability DB repositories in order of preference (mirrors first, e.g. an ACR copy); default: Trivy's")]
    string[] DbRepository => ValueOf(() => DbRepository, []);

    [Parameter("Trivy Java DB repositories in order of preference; default: Trivy's")]
    string[] JavaDbRepository => ValueOf(() => JavaDbRepository, []);

    [Parameter("Use the cached Trivy DB without updating it (air-gapped runs with a warm --trivy-cache-dir)")]
    bool SkipDbUpdate => ValueOf(() => SkipDbUpdate, false);

    [Parameter("Let Trivy reach plain-HTTP or self-signed registries (trivy --insecure)")]
    bool ScanInsecure => ValueOf(() => ScanInsecure, false);

    [Parameter("Platform of a multi-platform image to scan, os/arch (trivy --platform)")]
    string? ScanPlatform => ValueOf(() => ScanPlatform, null);

    [Parameter("Also write a CycloneDX SBOM to " + WorkspaceLayout.Relative.Scan + "/" + ServiceScan.SbomFile + " (Sign attaches it)")]
    bool Sbom => ValueOf(() => Sbom, false);

    [Parameter("Trivy's cache (databases, scan cache); one per job when jobs run in parallel")]
    string TrivyCacheDir => ValueOf(() => TrivyCacheDir, WorkspaceLayout.Relative.TrivyCache);

    [Parameter("How old a signed scan attestation may be when the state has no scan of the digest (a promotion)")]
    TimeSpan MaxScanAge => ValueOf(() => MaxScanAge, GitOps.DeployGate.DefaultMaxScanAge);

    /// <summary>Scans every selected service's image and gates on the findings.</summary>
    Target Scan => _ => _
        .DependsOn(Containerize)
        .Description($"Scans each service's image by digest with Trivy; fails on findings at or above --fail-on the scan policy does not accept. Report, SARIF and summary in {WorkspaceLayout.Relative.Scan}")
        .Produces([.. ScanOutputs.All])
        .Inputs(async (inputs, cancellationToken) =>
        {
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), Log);
            foreach (var service in SelectedServices)
            {
                var subject = ScanSubjects.Of(State, service.Name, Image);
                await ScanInputs.DeclareAsync(inputs.For(service.Name), ScanOptions(service, subject), subject, MaxScanAge, new TrivyScanner(Log, new DockerTrivyRunner(docker)), cancellationToken);
            }
        })
        .OutputFiles(WorkspaceLayout.Relative.Scan)
        .Executes(async ctx =>
        {
            using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), ctx.Log);
            var requests = SelectedServices.Select(service =>
            {
                var subject = ScanSubjects.Of(ctx.State, service.Name, Image);
                return new ServiceScanRequest(service.Name, subject, ScanOptions(service, subject));
            }).ToList();
            var scan = await new ServiceScan(docker, ctx.Log).ScanAsync(requests, ctx.State, ctx.Publish, (verdict, _) => AttestFailedScanAsync(verdict, ctx), ctx.CancellationToken);
            foreach (var (name, result) in scan.Results)
            {
                Host.AppendSummary(File.ReadAllText(result.SummaryPath));
                ctx.Note(NoteFor("Scan", SelectedServices.First(s => s.Name == name)), $"{(result.Passed ? "passed" : "failed")}: {result.Decision.Counts} (Trivy {result.Trivy.Version})");
            }
            scan.EnsurePassed();
        });

    /// <summary>
    /// Where a service's reports go: <c>artifacts/scan</c> when the build has one service, <c>artifacts/scan/&lt;service&gt;</c>
    /// when it has several (whatever <c>--service</c> selects, so a later Sign finds the same folder).
    /// </summary>
    internal string ScanDirectory(Service service) =>
        Services.Count == 1 ? Layout.ScanDirectory : Layout.ScanDirectoryOf(service.Name);

    /// <summary>How Trivy scans a service's image: the gate, the policy, the mirrors and the report folder.</summary>
    internal TrivyOptions ScanOptions(Service service, ScanSubject subject)
    {
        var policyPath = ScanPolicy is { Length: > 0 } given
            ? Path.GetFullPath(given, RootDirectory)
            : Layout.ScanPolicyFile;
        var policy = ScanPolicy is { Length: > 0 } || File.Exists(policyPath)
            ? ScanPolicyReader.ReadFile(policyPath)
            : Scanning.ScanPolicy.Empty;
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

    private static Severity ParseSeverity(string text) =>
        Enum.TryParse<Severity>(text, ignoreCase: true, out var severity) && Enum.IsDefined(severity) && !int.TryParse(text, out _)
            ? severity
            : throw new PipelineException($"--scan-severity: '{text}' is not a Trivy severity; use CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN.");
}
