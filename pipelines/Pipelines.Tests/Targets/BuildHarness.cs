using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Targets;

/// <summary>Runs a build in a temporary root with a captured terminal (or a chosen) host.</summary>
public sealed class BuildHarness : IDisposable
{
    private readonly TempDirectory _root = new("build");

    public StringWriter Output { get; } = new();
    public StringWriter Error { get; } = new();
    public Dictionary<string, string> Environment { get; } = new();
    public string Root => _root.Path;
    public string Text => Output + Error.ToString();

    public async Task<int> RunAsync<T>(T build, string defaultTarget, params string[] args) where T : PipelineBuild
    {
        build.RootDirectory = Root;
        var runner = new BuildRunner(build, defaultTarget, Output, Error, Environment);
        return await runner.RunAsync(args);
    }

    internal async Task<int> RunAsync<T>(T build, PipelineHost host, string defaultTarget, params string[] args) where T : PipelineBuild
    {
        build.RootDirectory = Root;
        var runner = new BuildRunner(build, defaultTarget, Output, Error, Environment) { Host = host };
        return await runner.RunAsync(args);
    }

    public void Dispose() => _root.Dispose();
}
