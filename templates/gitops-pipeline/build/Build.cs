using Pipelines.Components;

/// <summary>
/// This repository's build: the targets Test, Containerize, Scan, Sign and Deploy (and the rest, see
/// <c>./build.sh --help</c>) come from <see cref="GitOpsBuild"/> in the GitOps.Pipelines package; this class says
/// what to build. <c>./build.sh Generate</c> writes .github/workflows/ and tekton/ from it.
/// </summary>
class Build : GitOpsBuild, ITest
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Deploy);

    /// <summary>The name CI files carry: Pipeline and Tasks "&lt;name&gt;-…", ConfigMap "&lt;name&gt;-config", workflow names.</summary>
    protected override string Name => "example-service";

    /// <summary>
    /// The deployables. A service's image is built from src/&lt;name&gt;/Dockerfile and deployed to
    /// manifests/apps/&lt;name&gt;/overlays/&lt;environment&gt;; add one line per service.
    /// </summary>
    protected override IReadOnlyList<Service> Services =>
    [
#if (hasProject)
        new("example-service") { Project = "path/to/Project.csproj" },
#else
        new("example-service"),
#endif
    ];

    /// <summary>
    /// Test fails below 75 % line coverage, naming the least-covered files (--coverage-threshold, PIPELINE_COVERAGE_THRESHOLD
    /// or a CI variable of that name still sets another figure; 0 turns the gate off). The test projects collect coverage
    /// with coverlet.collector.
    /// </summary>
    double? ITest.CoverageThreshold => ValueOf(() => ((ITest)this).CoverageThreshold, 75);

#if (hasRegistry)
    /// <summary>The registry CI pushes to (the Tekton ConfigMap's REGISTRY; GitHub reads vars.PIPELINE_REGISTRY).</summary>
    protected override string? CiRegistry => "registry.example.com/example";

    /// <summary>
    /// The image every Tekton step runs in, under the same registry: <c>./build.sh RunnerImage</c> builds and pushes it and
    /// prints the repository@sha256:… to put here (until then Generate warns, and a Tekton run refuses to start).
    /// </summary>
    protected override string TektonRunnerImage => "registry.example.com/example/pipeline-runner:unbuilt";
#else
    // The registry CI pushes to is not set yet: the first CI run stops and names PIPELINE_REGISTRY (a GitHub variable,
    // the Tekton ConfigMap's REGISTRY). Set it there, or here: protected override string? CiRegistry => "host/namespace";
#endif
}
