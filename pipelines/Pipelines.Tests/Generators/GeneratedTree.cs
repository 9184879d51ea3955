using Pipelines.Generators;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Generators;

/// <summary>The test build's generated files, written once into a temporary repository root (with its own global.json).</summary>
public sealed class GeneratedTree : IDisposable
{
    private readonly TempDirectory _root = new("generators");

    public GeneratedTree()
    {
        File.WriteAllText(_root.Combine("global.json"), """{ "sdk": { "version": "10.0.100" } }""");
        Generator = new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), GeneratorTestBuild.Ci);
        Generator.Write(_root.Path);
        Files = Generator.Generate(_root.Path);
    }

    internal CiGenerator Generator { get; }

    public string Root => _root.Path;

    internal IReadOnlyList<GeneratedFile> Files { get; }

    public string Path(string relative) => _root.Combine(relative.Split('/'));

    public string Text(string relative) => Files.Single(f => f.RelativePath == relative).Content;

    public void Dispose() => _root.Dispose();
}
