namespace Pipelines.Scanning;

/// <summary>How to scan one image with Trivy, and how to judge the result.</summary>
/// <param name="Image">The image as <c>ref@sha256:digest</c>: a digest, so that the verdict is about exactly what was pushed.</param>
/// <param name="OutputDirectory">Where <c>trivy.json</c>, <c>trivy.sarif</c>, <c>summary.md</c> (and the SBOM) go: <see cref="Workspace.WorkspaceLayout.ScanDirectory"/> (or its folder for one service of several).</param>
/// <param name="CacheDirectory">Trivy's <c>--cache-dir</c> (databases and scan cache): <see cref="Workspace.WorkspaceLayout.TrivyCacheDirectory"/> by default; one per job when jobs run in parallel.</param>
internal sealed record TrivyOptions(string Image, string OutputDirectory, string CacheDirectory)
{
    /// <summary>
    /// The executable: <c>trivy</c> (searched on PATH; when absent the Docker fallback runs) or a path
    /// (<c>--trivy-path</c>, which must exist).
    /// </summary>
    public string TrivyPath { get; init; } = "trivy";
    /// <summary>
    /// The identity the verdict records when <see cref="Image"/> is a local, unpushed image (a pull request's build):
    /// its image ID. Null: the digest in <see cref="Image"/>.
    /// </summary>
    public string? LocalImageId { get; init; }
    /// <summary>The gate: a finding at or above this that the policy does not accept fails the scan.</summary>
    public Severity FailOn { get; init; } = Severity.High;
    /// <summary>Trivy's <c>--severity</c>: what the report contains. Empty: every level.</summary>
    public IReadOnlyList<Severity> Severities { get; init; } = [];
    /// <summary>Leave out vulnerabilities that have no fixed version (<c>--ignore-unfixed</c>).</summary>
    public bool IgnoreUnfixed { get; init; }
    /// <summary>Trivy's <c>--scanners</c>: what to look for.</summary>
    public IReadOnlyList<string> Scanners { get; init; } = ["vuln", "secret"];
    /// <summary>Trivy's <c>--timeout</c>; it covers the whole run, database download included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>
    /// How much longer than <see cref="Timeout"/> the process may run before it is stopped: Trivy's own
    /// timeout should end it first with its own message; this is the backstop for a hung process.
    /// </summary>
    public TimeSpan TimeoutMargin { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary><c>--db-repository</c> in order of preference (mirrors first); empty: Trivy's defaults.</summary>
    public IReadOnlyList<string> DbRepositories { get; init; } = [];
    /// <summary><c>--java-db-repository</c> in order of preference (mirrors first); empty: Trivy's defaults.</summary>
    public IReadOnlyList<string> JavaDbRepositories { get; init; } = [];
    /// <summary>Use the cached databases without downloading (<c>--skip-db-update</c>), for offline runs.</summary>
    public bool SkipDbUpdate { get; init; }
    /// <summary>Allow plain-HTTP and self-signed registries.</summary>
    public bool Insecure { get; init; }
    /// <summary><c>os/arch</c> of a multi-platform image; null: Trivy's default.</summary>
    public string? Platform { get; init; }
    /// <summary>Also write a CycloneDX SBOM (<c>sbom.cdx.json</c>); the report then lists every package.</summary>
    public bool Sbom { get; init; }
    /// <summary>
    /// The SARIF run's <c>automationDetails.id</c> (code scanning's category), e.g. <c>trivy/orders/</c>: needed when one
    /// upload holds several images' scans, which code scanning otherwise rejects as runs of one category; null: none.
    /// </summary>
    public string? SarifCategory { get; init; }
    /// <summary>Passed to Trivy only as <c>TRIVY_USERNAME</c>/<c>TRIVY_PASSWORD</c> in its environment.</summary>
    public string? RegistryUsername { get; init; }
    /// <summary>Passed to Trivy only as <c>TRIVY_PASSWORD</c> in its environment; a secret.</summary>
    public string? RegistryPassword { get; init; }
    /// <summary>The accepted risks (policy file and <c>.trivyignore</c>), applied in C#.</summary>
    public ScanPolicy Policy { get; init; } = ScanPolicy.Empty;
    /// <summary>A Trivy ignore file passed as <c>--ignorefile</c>; null: none.</summary>
    public string? IgnoreFile { get; init; }
    /// <summary>Trivy's working directory; null: the current one.</summary>
    public string? WorkingDirectory { get; init; }
    /// <summary>The image the Docker fallback runs; the release this toolkit was tested against.</summary>
    public string ContainerImage { get; init; } = TrivyContainerRun.DefaultImage;

    /// <summary>Where Trivy's JSON report is written.</summary>
    public string ReportPath => Path.Combine(OutputDirectory, "trivy.json");
    /// <summary>The SARIF report's file name in <see cref="OutputDirectory"/> (what CI uploads to code scanning).</summary>
    public const string SarifFile = "trivy.sarif";
    /// <summary>Where the SARIF report is written.</summary>
    public string SarifPath => Path.Combine(OutputDirectory, SarifFile);
    /// <summary>Where the markdown summary is written.</summary>
    public string SummaryPath => Path.Combine(OutputDirectory, "summary.md");
    /// <summary>Where the CycloneDX SBOM is written when <see cref="Sbom"/> is set.</summary>
    public string SbomPath => Path.Combine(OutputDirectory, "sbom.cdx.json");
}
