using Pipelines.Targets;

namespace Pipelines.Builds;

/// <summary>
/// The toolkit's build: Test → Containerize → Scan → Sign → Deploy (and Analyze, Promote, Rollback, Verify, Generate,
/// TektonRun, RunnerImage) for the services a repository declares. A repository's whole build is a class deriving
/// from it that names itself and lists its services:
/// <code>
/// class Build : GitOpsBuild
/// {
///     public static int Main(string[] args) => Execute&lt;Build&gt;(args, x => x.Deploy);
///     protected override string Name => "orders";
///     protected override IReadOnlyList&lt;Service&gt; Services => [new("orders") { Project = "src/orders/Orders.csproj" }];
/// }
/// </code>
/// Every target is a <c>public virtual</c> property, so a build can replace one; the work happens in the toolkit's
/// capability namespaces, this class only wires it.
/// </summary>
public abstract partial class GitOpsBuild : PipelineBuild
{
    /// <summary>The name the CI files carry: the Tekton Pipeline and Tasks (<c>&lt;name&gt;-…</c>), the ConfigMap <c>&lt;name&gt;-config</c>.</summary>
    protected abstract string Name { get; }

    /// <summary>The deployables of this repository, declared once; checked before any target runs.</summary>
    protected abstract IReadOnlyList<Service> Services { get; }

    [Parameter("Build configuration for tests and publishing: debug or release")]
    private readonly Configuration Configuration = Configuration.Debug;

    [Parameter("Image to scan, sign, verify or deploy, pinned by digest (repository@sha256:…), for one --service; default: what Containerize recorded")]
    private readonly string? Image;

    // Named with a leading underscore only so that it can be --service beside the Service type.
    [Parameter("The services to act on (names from the build's Services); default: all")]
    private readonly string[] _service = [];

    /// <summary>The services this run acts on: <c>--service</c>'s, else all.</summary>
    protected IReadOnlyList<Service> SelectedServices => ServiceList.Select(Services, _service);

    /// <summary>A service as this run builds it: its declaration with the one-service overrides applied.</summary>
    protected Service AsBuilt(Service service)
    {
        var built = Context is { Length: > 0 } context ? service.WithContext(context) : service;
        return built with
        {
            Dockerfile = Dockerfile is { Length: > 0 } dockerfile ? dockerfile : built.Dockerfile,
            Project = PublishProject is null ? service.Project : PublishProject.Length > 0 ? PublishProject : null,
        };
    }

    /// <summary>The services' problems and the parameters that need one service, reported before any target runs.</summary>
    /// <param name="builds">Whether the run builds images (Containerize is planned): only then must the Dockerfiles exist.</param>
    private void CheckServices(bool builds)
    {
        var problems = new List<string>();
        IReadOnlyList<Service> selected = [];
        try { selected = SelectedServices; }
        catch (PipelineException unknown) { problems.Add(unknown.Message); }
        problems.AddRange(ServiceList.Problems(Services, RootDirectory, builds ? [.. selected.Select(AsBuilt)] : []));
        // Given at all (even empty, as --publish-project "" is) they change the one service they are meant for.
        var oneServiceOnly = new (string Name, string? Value)[]
        {
            ("--image", Image), ("--dockerfile", Dockerfile), ("--context", Context), ("--image-name", ImageName),
            ("--publish-project", PublishProject), ("--manifests-path", ManifestsPath), ("--manifests-image", ManifestsImage),
            ("--docker-target", DockerTarget), ("--objectives", Objectives), ("--analysis-deployment", AnalysisDeployment),
            ("--analysis-namespace", AnalysisNamespace),
        }.Where(p => p.Value is not null).Select(p => p.Name).ToList();
        if (oneServiceOnly.Count > 0 && selected.Count > 1)
            problems.Add($"{string.Join(", ", oneServiceOnly)} describe{(oneServiceOnly.Count == 1 ? "s" : "")} one service, but this run acts on {selected.Count} ({string.Join(", ", selected.Select(s => s.Name))}): add --service <name>.");
        if (problems.Count > 0) throw new PipelineException(string.Join(System.Environment.NewLine, problems));
    }

    /// <summary>A note's name for a service: <c>Image</c> when the run acts on one, <c>Image shortlink</c> when on several.</summary>
    private string NoteFor(string what, Service service) => SelectedServices.Count == 1 ? what : $"{what} {service.Name}";

    /// <summary>A message about a service: as it is when the run acts on one, prefixed with the service's name when on several.</summary>
    private string MessageFor(Service service, string message) => SelectedServices.Count == 1 ? message : $"{service.Name}: {message}";
}

/// <summary>The build configuration for tests and the .NET publish step.</summary>
public enum Configuration
{
    /// <summary>Debug.</summary>
    Debug,
    /// <summary>Release.</summary>
    Release,
}
