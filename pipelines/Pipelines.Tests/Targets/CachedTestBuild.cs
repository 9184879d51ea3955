using Pipelines.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Targets;

/// <summary>
/// A build whose targets are cached: Compile reads src.txt and --flavour and writes artifacts/out.txt, an output
/// and a record; Package reads what Compile published, and its cached result holds only while valid.txt exists.
/// </summary>
public sealed class CachedTestBuild : PipelineBuild
{
    public readonly List<string> Ran = [];

    [Parameter("A choice that matters to Compile")]
    public readonly Flavour Flavour = Flavour.Plain;

    [Parameter("Seconds a cached Compile stays valid; 0: until its inputs change")]
    public readonly int MaxAgeSeconds;

    public Target Compile => _ => _
        .Inputs(inputs =>
        {
            inputs.File("src.txt").Add("flavour", Flavour);
            if (MaxAgeSeconds > 0) inputs.MaxAge(TimeSpan.FromSeconds(MaxAgeSeconds), "--max-age-seconds");
        })
        .OutputFiles(WorkspaceLayout.Relative.Artifacts + "/out.txt")
        .Produces("ARTIFACT")
        .Executes(context =>
        {
            Ran.Add("Compile");
            var source = File.ReadAllText(Path.Combine(RootDirectory, "src.txt"));
            if (source.Contains("fail", StringComparison.Ordinal)) throw new PipelineException("Compile was told to fail.");
            Directory.CreateDirectory(Layout.ArtifactsDirectory);
            File.WriteAllText(Path.Combine(Layout.ArtifactsDirectory, "out.txt"), "compiled " + source);
            context.State.SetRecord("compiled", new CompiledRecord(source, Flavour.ToString()));
            context.Publish("ARTIFACT", $"artifact-{source.Trim()}-{Flavour}");
            context.Note("Artifact", source.Trim());
        });

    public Target Package => _ => _
        .DependsOn(Compile)
        .Inputs(inputs => inputs.Add("artifact", State.Get("ARTIFACT")))
        .CachedWhile((run, _) => Task.FromResult(File.Exists(Path.Combine(RootDirectory, "valid.txt")) ? null : "valid.txt is gone"))
        .Produces("PACKAGE")
        .Executes(context =>
        {
            Ran.Add("Package");
            context.Publish("PACKAGE", "package-of-" + State.Get("ARTIFACT"));
        });

    public sealed record CompiledRecord(string Source, string Flavour);
}
