namespace Pipelines.Workspace;

/// <summary>
/// Every file and folder the toolkit reads or writes inside a repository, named once. Two folders: <c>artifacts/</c>
/// holds what a run produces (reports, state, packages; CI uploads it, Tekton tasks share it on the workspace) and
/// <c>.gitops/</c> holds what a developer machine keeps between runs (keys, the local registry and manifests
/// repository, caches). Built from the repository root and, where CI keeps the caches elsewhere, from
/// <see cref="CacheDirectoryVariable"/>.
/// </summary>
public sealed record WorkspaceLayout
{
    /// <summary>A folder CI keeps between runs (a Tekton cache workspace); the target and image caches go into it instead of <c>.gitops/cache</c>.</summary>
    public const string CacheDirectoryVariable = "PIPELINE_CACHE_DIR";

    // The cache's sub-folders, named once for both places the cache can be (.gitops/cache or the variable's folder).
    private const string TargetCacheFolder = "targets";
    private const string ImageCacheFolder = "images";

    /// <summary>
    /// The same paths relative to the root, with <c>/</c> whatever the OS: for parameter defaults, <c>OutputFiles</c>,
    /// generated CI files and the messages that name them.
    /// </summary>
    public static class Relative
    {
        /// <summary>What runs produce; the parent of every artifacts path below.</summary>
        public const string Artifacts = "artifacts";

        /// <summary>What a developer machine keeps between runs; the parent of every <c>.gitops</c> path below.</summary>
        public const string GitOps = ".gitops";

        /// <summary>Written by the engine after every target (outputs, records); read by later targets, <c>--skip</c> and the next Tekton task.</summary>
        public const string StateFile = Artifacts + "/pipeline-state.json";

        /// <summary>Written by Test (the TRX files of <c>dotnet test</c>); read by CI's test report and the target cache.</summary>
        public const string TestResults = Artifacts + "/test-results";

        /// <summary>Written by Test when it collects coverage (the Cobertura report merged over the test projects); read by CI's coverage viewers and the target cache.</summary>
        public const string Coverage = Artifacts + "/coverage";

        /// <summary>The merged Cobertura report in <see cref="Coverage"/>.</summary>
        public const string CoverageReport = Coverage + "/coverage.cobertura.xml";

        /// <summary>Written by Scan (trivy.json, trivy.sarif, summary.md, the SBOM; one sub-folder per service when there are several); read by Sign (the SBOM) and CI's SARIF upload.</summary>
        public const string Scan = Artifacts + "/scan";

        /// <summary>Written by Analyze: one <c>&lt;service&gt;.json</c> per analysed service (the values each check observed, the thresholds, the verdict); read by whoever charts or audits the analysis.</summary>
        public const string Analysis = Artifacts + "/analysis";

        /// <summary>Written by this repository's Pack target (the toolkit and template packages); read by whoever publishes them.</summary>
        public const string Packages = Artifacts + "/packages";

        /// <summary>Written by GenerateKey and, on first use, by Sign (the development cosign key pair); read by Sign, Verify, Deploy and TektonRun.</summary>
        public const string Keys = GitOps + "/keys";

        /// <summary>Written by the user (accepted findings); read by Scan when <c>--scan-policy</c> is not given.</summary>
        public const string ScanPolicy = GitOps + "/scan-policy.yaml";

        /// <summary>Written by LocalManifestsRepository (a bare repository seeded from <c>manifests/</c>); read and committed to by Deploy and TektonRun when no <c>--manifests-repo</c> is given.</summary>
        public const string ManifestsRepository = GitOps + "/manifests.git";

        /// <summary>Written by LocalRegistryDaemon (its storage <c>registry/</c>, pid, log and config); read by Containerize and TektonRun when no <c>--registry</c> is given.</summary>
        public const string LocalRegistry = GitOps;

        /// <summary>The caches CI keeps between runs when <see cref="CacheDirectoryVariable"/> is unset.</summary>
        public const string Cache = GitOps + "/cache";

        /// <summary>Written and read by the engine's target cache (a target's last success per fingerprint).</summary>
        public const string TargetCache = Cache + "/" + TargetCacheFolder;

        /// <summary>Written and read by Containerize with several services (each service's last image and its inputs).</summary>
        public const string ImageCache = Cache + "/" + ImageCacheFolder;

        /// <summary>Trivy's databases and scan cache: the default of <c>--trivy-cache-dir</c>, written and read by Scan; not moved by <see cref="CacheDirectoryVariable"/> (Tekton gives it its own cache).</summary>
        public const string TrivyCache = Cache + "/trivy";
    }

    /// <summary>The layout of the repository at <paramref name="root"/>; <paramref name="cacheDirectory"/> is the value of <see cref="CacheDirectoryVariable"/>, if any.</summary>
    public WorkspaceLayout(string root, string? cacheDirectory = null)
    {
        Root = root;
        CacheDirectory = cacheDirectory is { Length: > 0 } ? cacheDirectory : Under(Relative.Cache);
    }

    /// <summary>The layout of the repository at <paramref name="root"/>, its caches where <paramref name="environment"/>'s <see cref="CacheDirectoryVariable"/> says.</summary>
    public static WorkspaceLayout For(string root, IReadOnlyDictionary<string, string> environment) =>
        new(root, environment.GetValueOrDefault(CacheDirectoryVariable));

    /// <summary>The repository root.</summary>
    public string Root { get; }

    /// <inheritdoc cref="Relative.Artifacts"/>
    public string ArtifactsDirectory => Under(Relative.Artifacts);

    /// <inheritdoc cref="Relative.GitOps"/>
    public string GitOpsDirectory => Under(Relative.GitOps);

    /// <inheritdoc cref="Relative.StateFile"/>
    public string StateFile => Under(Relative.StateFile);

    /// <inheritdoc cref="Relative.TestResults"/>
    public string TestResultsDirectory => Under(Relative.TestResults);

    /// <inheritdoc cref="Relative.Coverage"/>
    public string CoverageDirectory => Under(Relative.Coverage);

    /// <inheritdoc cref="Relative.CoverageReport"/>
    public string CoverageReportFile => Under(Relative.CoverageReport);

    /// <inheritdoc cref="Relative.Scan"/>
    public string ScanDirectory => Under(Relative.Scan);

    /// <summary>Written by Scan for one service of several (the files of <see cref="ScanDirectory"/>); read by Sign and CI's SARIF upload.</summary>
    public string ScanDirectoryOf(string service) => Path.Combine(ScanDirectory, service);

    /// <inheritdoc cref="Relative.Analysis"/>
    public string AnalysisDirectory => Under(Relative.Analysis);

    /// <summary>Written by Analyze for one service: what each check observed against each threshold, and the verdict.</summary>
    public string AnalysisFileOf(string service) => Path.Combine(AnalysisDirectory, service + ".json");

    /// <inheritdoc cref="Relative.Packages"/>
    public string PackagesDirectory => Under(Relative.Packages);

    /// <inheritdoc cref="Relative.Keys"/>
    public string KeysDirectory => Under(Relative.Keys);

    /// <inheritdoc cref="Relative.ScanPolicy"/>
    public string ScanPolicyFile => Under(Relative.ScanPolicy);

    /// <inheritdoc cref="Relative.ManifestsRepository"/>
    public string ManifestsRepository => Under(Relative.ManifestsRepository);

    /// <inheritdoc cref="Relative.LocalRegistry"/>
    public string LocalRegistryDirectory => Under(Relative.LocalRegistry);

    /// <summary>The caches CI keeps between runs: <see cref="CacheDirectoryVariable"/> when set (used as given), else <c>.gitops/cache</c>.</summary>
    public string CacheDirectory { get; }

    /// <inheritdoc cref="Relative.TargetCache"/>
    public string TargetCacheDirectory => Path.Combine(CacheDirectory, TargetCacheFolder);

    /// <inheritdoc cref="Relative.ImageCache"/>
    public string ImageCacheDirectory => Path.Combine(CacheDirectory, ImageCacheFolder);

    /// <summary>
    /// Which compressed blob each layer (by diff ID) became in each registry, one file per registry: inside the image
    /// cache, so CI keeps it with the kept images; nothing in it names the checkout, so it serves any clone.
    /// </summary>
    internal string LayerDigestDirectory => Path.Combine(ImageCacheDirectory, "layers");

    /// <inheritdoc cref="Relative.TrivyCache"/>
    public string TrivyCacheDirectory => Under(Relative.TrivyCache);

    /// <summary>A relative path of <see cref="Relative"/> under the root, with the OS's separator.</summary>
    private string Under(string relative) => Path.Combine([Root, .. relative.Split('/')]);
}
