using Pipelines.Tests.Support;

namespace Pipelines.Tests.Architecture;

/// <summary>
/// The library's folders form layers: a folder imports only folders of lower layers, or of its own layer while no
/// loop forms. A new folder fails the check until it is placed here.
/// </summary>
public sealed class LayerTests
{
    /// <summary>The layers, bottom to top. <c>""</c> is the root namespace <c>Pipelines</c>.</summary>
    internal static readonly IReadOnlyList<string[]> Layers =
    [
        // 0 vocabulary: errors, temporary folders, durations; OCI references, digests, descriptors, credentials; the log.
        ["", "Oci", "Logging"],
        // 1 clients, and the workspace (cache fingerprints, state file, the git HEAD reader), which runs git through Processes.
        ["Processes", "Workspace", "Docker", "Registry", "GitHub", "Kubernetes"],
        // 2 capabilities.
        ["Containers", "Scanning", "Signing", "Testing", "Notifications"],
        // 3 capabilities that orchestrate.
        ["GitOps", "Analysis", "TektonLocal", "Packaging", "Scaffolding"],
        // 4 the engine and where it runs.
        ["Hosts", "Targets"],
        // 5 generated CI files, read from the engine's target catalog and parameters.
        ["Generators"],
        // 6 the stages a build composes (Builds/ is being rewritten into Components/).
        ["Builds", "Components"],
    ];

    /// <summary>Clients that stay independent of each other although one layer would allow one direction.</summary>
    internal static readonly IReadOnlyList<(string, string)> Apart = [("Docker", "Registry")];

    private static string LibraryRoot => Path.Combine(TestPaths.RepositoryRoot, "pipelines", "Pipelines");

    [Fact]
    public void No_folder_imports_a_higher_layer_and_no_layer_has_a_loop()
    {
        var files = Directory.EnumerateFiles(LibraryRoot, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(LibraryRoot, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Select(path => (path, File.ReadAllText(Path.Combine(LibraryRoot, path))))
            .ToList();

        var problems = LayerCheck.Check(files, Layers, Apart);

        Assert.True(files.Count > 100, $"read only {files.Count} files under {LibraryRoot}");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_folder_in_no_layer_fails_the_check()
    {
        var problems = LayerCheck.Check([("Containers/A.cs", "namespace Pipelines.Containers;"), ("Caching/B.cs", "namespace Pipelines.Caching;")], Layers, Apart);

        Assert.Equal(["Caching/ is in no layer: place it in LayerTests.Layers, below every folder that imports it."], problems);
    }

    [Fact]
    public void An_import_of_a_higher_layer_is_named_with_file_and_line()
    {
        var problems = LayerCheck.Check(
        [
            ("Registry/Client.cs", "using System.Text;\nusing Pipelines.Containers;\nnamespace Pipelines.Registry;"),
            ("Containers/Builder.cs", "namespace Pipelines.Containers;\npublic sealed class Builder;"),
        ], Layers, Apart);

        var problem = Assert.Single(problems);
        Assert.StartsWith("Registry/Client.cs:2: Registry/ (layer 1) imports Containers/ of the higher layer 2: `using Pipelines.Containers;`", problem);
    }

    [Fact]
    public void Qualified_names_count_as_imports_and_comments_do_not()
    {
        var problems = LayerCheck.Check(
        [
            ("Processes/Timeout.cs", "namespace Pipelines.Processes;\n// Targets.ParameterConverter formats it\nclass T { string A => Targets.ParameterConverter.Format(1); string B => Pipelines.Hosts.TerminalHost.Name; }"),
            ("Targets/ParameterConverter.cs", "namespace Pipelines.Targets;\npublic static class ParameterConverter;"),
            ("Hosts/TerminalHost.cs", "namespace Pipelines.Hosts;\npublic sealed class TerminalHost;"),
        ], Layers, Apart);

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("Processes/Timeout.cs:3: Processes/ (layer 1) imports ", p));
        Assert.Contains(problems, p => p.Contains("imports Targets/", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("imports Hosts/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_member_named_like_a_folder_is_not_an_import()
    {
        var problems = LayerCheck.Check(
        [
            ("Processes/Run.cs", "namespace Pipelines.Processes;\nclass R { string A => options.Registry.Host; string B => Registry.Host; }"),
            ("Registry/RegistryClient.cs", "namespace Pipelines.Registry;\npublic sealed class RegistryClient;"),
        ], Layers, Apart);

        Assert.Empty(problems);
    }

    [Fact]
    public void Two_folders_of_one_layer_that_import_each_other_fail_and_one_way_passes()
    {
        (string, string) Docker(string usings) => ("Docker/Engine.cs", usings + "namespace Pipelines.Docker;");
        (string, string) Kubernetes(string usings) => ("Kubernetes/Client.cs", usings + "namespace Pipelines.Kubernetes;");

        var oneWay = LayerCheck.Check([Docker(""), Kubernetes("using Pipelines.Docker;\n")], Layers, Apart);
        var loop = LayerCheck.Check([Docker("using Pipelines.Kubernetes;\n"), Kubernetes("using Pipelines.Docker;\n")], Layers, Apart);

        Assert.Empty(oneWay);
        Assert.Equal(2, loop.Count);
        Assert.All(loop, p => Assert.Contains("which imports it back (a loop)", p));
    }

    [Fact]
    public void Docker_and_Registry_stay_apart_in_either_direction()
    {
        var problems = LayerCheck.Check(
            [("Docker/Engine.cs", "using Pipelines.Registry;\nnamespace Pipelines.Docker;"), ("Registry/Client.cs", "namespace Pipelines.Registry;")],
            Layers, Apart);

        Assert.Equal(["Docker/Engine.cs:1: Docker/ imports Registry/, which stay apart: `using Pipelines.Registry;`. Put what both need in a lower layer."], problems);
    }
}
