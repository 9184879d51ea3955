using Pipelines.Scaffolding;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Templates;

/// <summary>
/// One source for a service's files: the template's files for <c>example-service</c> are what AddService's writer
/// renders for that name, byte for byte. After changing the writer, <c>PIPELINE_UPDATE_TEMPLATE=1</c> rewrites the
/// template's copies from it (review the diff); without it a difference fails, naming the file.
/// </summary>
public sealed class TemplateServiceFilesTests
{
    private static readonly string Template = Path.Combine(TestPaths.RepositoryRoot, "templates", "gitops-pipeline");

    /// <summary>How the template names the service, its registry and its project before <c>dotnet new</c> replaces them.</summary>
    private static readonly NewService Example = new("example-service", null, 8080, "registry.example.com/example", ["dev", "staging", "prod"]);

    public static TheoryData<string> TemplateFiles => [.. Rendered().Select(f => f.Path)];

    /// <summary>The template's files as the writer renders them, by path in templates/gitops-pipeline.</summary>
    private static IReadOnlyList<(string Path, string Text)> Rendered()
    {
        var dotnet = Example with { Project = "path/to/Project.csproj" };
        return
        [
            .. ServiceFiles.Owned(Example, withDockerfile: true),
            // The .NET variant is the template's Dockerfile.dotnet, its assembly the template's own placeholder.
            .. ServiceFiles.Starter(dotnet).Where(f => f.Path.EndsWith("Dockerfile", StringComparison.Ordinal))
                .Select(f => (f.Path + ".dotnet", f.Text.Replace("/app/Project\"", "/app/ExampleAssembly\""))),
            .. ServiceFiles.Starter(dotnet).Where(f => f.Path.EndsWith(".dockerignore", StringComparison.Ordinal)),
            (ServiceAdder.NamespaceFile, ServiceFiles.Namespace(Example)),
        ];
    }

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void The_templates_service_file_is_what_AddService_writes_for_its_name(string path)
    {
        var expected = Rendered().Single(f => f.Path == path).Text;
        var file = Path.Combine(Template, path);
        if (Environment.GetEnvironmentVariable("PIPELINE_UPDATE_TEMPLATE") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, expected);
        }

        Assert.True(File.Exists(file), $"templates/gitops-pipeline/{path} is missing: run this test with PIPELINE_UPDATE_TEMPLATE=1");
        Assert.Equal(expected, File.ReadAllText(file));
    }

    [Fact]
    public void The_templates_listings_hold_the_entries_AddService_adds_for_its_service()
    {
        var build = File.ReadAllText(Path.Combine(Template, "build", "Build.cs"));
        Assert.Contains("        " + ServiceFiles.ServicesEntry(Example) + "\n", build);
        Assert.Contains("        " + ServiceFiles.ServicesEntry(Example with { Project = "path/to/Project.csproj" }) + "\n", build);
        foreach (var environment in Example.Environments)
            Assert.Contains(ServiceFiles.EnvironmentEntry(Example, environment) + "\n", File.ReadAllText(Path.Combine(Template, ServiceAdder.EnvironmentFile(environment))));
        Assert.Contains(ServiceFiles.PolicyEntry(Example) + "\n", File.ReadAllText(Path.Combine(Template, ServiceAdder.PolicyFile)));
        Assert.Equal("registry.example.com/example", ServiceListings.RegistryOf(File.ReadAllText(Path.Combine(Template, ServiceAdder.PolicyFile)), ServiceAdder.PolicyFile));
    }
}
