using Pipelines.Builds;
using Pipelines.Testing;

/// <summary>
/// This repository's build: the toolkit's own targets (GitOpsBuild, from pipelines/) for the two sample services,
/// written the way a repository that takes the toolkit as a package writes it.
/// </summary>
partial class Build : GitOpsBuild
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Test);

    protected override string Name => "shortlink";

    protected override IReadOnlyList<Service> Services =>
    [
        // An HTTP API, published self-contained and copied into a runtime base.
        new("shortlink")
        {
            Context = "samples/shortlink",
            Project = "samples/shortlink/src/Shortlink",
            ManifestsImage = "registry.cn-shanghai.aliyuncs.com/example/shortlink",
        },
        // A worker with no port: it checks links on an interval and logs what it finds.
        new("linkcheck")
        {
            Context = "samples/linkcheck",
            Project = "samples/linkcheck/src/Linkcheck",
            ManifestsImage = "registry.cn-shanghai.aliyuncs.com/example/linkcheck",
        },
    ];

    /// <summary>The whole suite needs the validators, a registry and Prometheus: provision what can be, name the rest.</summary>
    protected override async Task BeforeTestsAsync(string? filter, CancellationToken cancellationToken)
    {
        if (filter is null) await new TestPrerequisites(Log).EnsureAsync(RootDirectory, cancellationToken);
    }

    protected override string TestSolution => "Pipeline.sln";
}
