using Pipelines.Logging;
using Pipelines.Packaging;
using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Templates;

/// <summary>
/// The toolkit and its template, packed once for the tests of <see cref="PackedTemplateCollection"/> with
/// <see cref="PackageBuilder"/> (as <c>./build.sh Pack</c> does, but with obj/ and bin/ in a temporary folder) into a
/// temporary feed, and the template installed into a temporary template hive (<c>--debug:custom-hive</c>), so the
/// user's own template list is never touched.
/// </summary>
public sealed class PackedTemplate : IAsyncLifetime
{
    private readonly TempDirectory _root = new("packed-template");

    /// <summary>The pack's log, for diagnosing failures.</summary>
    internal MemoryLog Log { get; } = new();

    /// <summary>The local NuGet feed holding both packages.</summary>
    public string Feed => _root.Combine("feed");

    /// <summary>The template hive <c>dotnet new</c> is run with.</summary>
    public string Hive => _root.Combine("hive");

    /// <summary>What the pack wrote.</summary>
    public PackResult Packed { get; private set; } = null!;

    /// <summary>The toolkit package.</summary>
    public PackedPackage Toolkit => Packed.Packages[0];

    /// <summary>The template package.</summary>
    public PackedPackage Template => Packed.Packages[1];

    public async Task InitializeAsync()
    {
        Packed = await new PackageBuilder(Log).PackAsync(
            new PackOptions(TestPaths.RepositoryRoot, Feed, PackOptions.DefaultProjects) { IntermediateDirectory = _root.Combine("obj") });
        var install = await DotNetNew(_root.Path, "install", Template.Path);
        Assert.True(install.Succeeded, install.StandardOutput + install.StandardError);
    }

    /// <summary>Runs <c>dotnet new</c> with the temporary hive in <paramref name="directory"/>.</summary>
    internal Task<CommandResult> DotNetNew(string directory, params string[] arguments) => DotNetNew(directory, new Dictionary<string, string?>(), arguments);

    /// <summary>Runs <c>dotnet new</c> with the temporary hive in <paramref name="directory"/>, with <paramref name="environment"/> set (a null value unsets).</summary>
    internal Task<CommandResult> DotNetNew(string directory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        new Command("dotnet")
            .WithArguments(["new", .. arguments, "--debug:custom-hive", Hive])
            .WithWorkingDirectory(directory)
            .WithEnvironment("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .WithEnvironment("DOTNET_NOLOGO", "1")
            // The feed a new repository restores from is read at instantiation: none leaks in from the machine's environment.
            .WithEnvironment(TemplateRulesTests.TemplateFeedVariable, null)
            .WithEnvironment(environment.ToDictionary())
            .WithOutput(OutputMode.Quiet)
            .WithTimeout(TimeSpan.FromMinutes(3))
            .ExecuteAsync();

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}
