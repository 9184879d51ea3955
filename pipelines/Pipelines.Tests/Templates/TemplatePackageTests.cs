using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pipelines.Components;
using Pipelines.Packaging;
using Pipelines.Processes;
using Pipelines.Tests.Manifests;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Templates;

/// <summary>What <c>./build.sh Pack</c> writes, and what <c>dotnet new gitops-pipeline</c> does with bad input.</summary>
[Collection(PackedTemplateCollection.Name)]
public sealed partial class TemplatePackageTests(PackedTemplate packed)
{
    [Fact]
    public void Both_packages_share_one_version_and_the_template_references_the_toolkit_at_it()
    {
        Assert.Equal("GitOps.Pipelines", packed.Toolkit.Id);
        Assert.Equal("GitOps.Pipelines.Templates", packed.Template.Id);
        Assert.Matches(SemanticVersion(), packed.Packed.Version);
        Assert.All(packed.Packed.Packages, p => Assert.Equal(packed.Packed.Version, p.Version));

        var buildProject = Entry(packed.Template.Path, "content/gitops-pipeline/build/Build.csproj");

        Assert.Contains($"<PackageReference Include=\"GitOps.Pipelines\" Version=\"{packed.Packed.Version}\" />", buildProject);
        Assert.Contains("<PackageType name=\"Template\" />", Entry(packed.Template.Path, "GitOps.Pipelines.Templates.nuspec").Replace("packageType", "PackageType"));
    }

    [Fact]
    public void The_toolkit_package_has_a_readme_a_licence_a_repository_XML_docs_and_symbols()
    {
        var metadata = XDocument.Parse(Entry(packed.Toolkit.Path, "GitOps.Pipelines.nuspec")).Root!.Elements().First(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        using var archive = ZipFile.OpenRead(packed.Toolkit.Path);
        var entries = archive.Entries.Select(e => e.FullName).ToList();

        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);
        Assert.StartsWith("https://", metadata.Elements().First(e => e.Name.LocalName == "repository").Attribute("url")!.Value);
        Assert.Contains("lib/net10.0/Pipelines.dll", entries);
        Assert.Contains("lib/net10.0/Pipelines.xml", entries);
        Assert.NotNull(packed.Toolkit.SymbolsPath);
        using var symbols = ZipFile.OpenRead(packed.Toolkit.SymbolsPath!);
        Assert.Contains(symbols.Entries, e => e.FullName == "lib/net10.0/Pipelines.pdb");
    }

    [Theory]
    [InlineData("Orders_Api", "r.example.com/acme", "--service")]
    [InlineData("-orders", "r.example.com/acme", "--service")]
    [InlineData("9orders", "r.example.com/acme", "--service")]
    [InlineData("orders", "https://R.example.com", "--registry")]
    public async Task An_invalid_parameter_writes_nothing_and_fails_with_one_message_naming_it(string service, string registry, string named)
    {
        using var folder = new TempDirectory("template-bad-input");

        var result = await packed.DotNetNew(folder.Path, "gitops-pipeline", "--service", service, "--registry", registry);

        Assert.NotEqual(0, result.ExitCode);
        var output = result.StandardOutput + result.StandardError;
        Assert.Contains($"Nothing was written: {named} ", output);
        if (named == "--service") Assert.Contains(ServiceList.NameRule, output);
        Assert.Single(Regex.Matches(output, "Nothing was written"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task With_only_a_name_the_service_is_the_name_CI_has_no_registry_yet_and_the_feed_is_the_environments()
    {
        using var folder = new TempDirectory("template-defaults");

        var result = await packed.DotNetNew(folder.Path, new Dictionary<string, string?> { [TemplateRulesTests.TemplateFeedVariable] = "https://nuget.example.org/acme/index.json" },
            "gitops-pipeline", "-n", "orders");

        Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
        var build = File.ReadAllText(folder.Combine("build", "Build.cs"));
        Assert.Contains("protected override string Name => \"orders\";", build);
        Assert.Contains("new(\"orders\"),", build);
        Assert.DoesNotMatch(@"(?m)^\s*protected override string\? CiRegistry =>", build);
        Assert.Contains("names PIPELINE_REGISTRY", build);
        Assert.DoesNotContain("TektonRunnerImage =>", build);
        Assert.True(File.Exists(folder.Combine("src", "orders", "Dockerfile")));
        Assert.Contains("<add key=\"gitops-pipelines\" value=\"https://nuget.example.org/acme/index.json\" />", File.ReadAllText(folder.Combine("nuget.config")));
    }

    [Fact]
    public async Task Without_a_name_the_service_is_the_folders_in_lower_case_and_the_feed_the_READMEs()
    {
        using var parent = new TempDirectory("template-folder-name");
        var folder = Directory.CreateDirectory(Path.Combine(parent.Path, "Payments")).FullName;

        var result = await packed.DotNetNew(folder, "gitops-pipeline", "--registry", "r.example.com/acme");

        Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
        var build = File.ReadAllText(Path.Combine(folder, "build", "Build.cs"));
        Assert.Contains("new(\"payments\"),", build);
        Assert.Contains("protected override string? CiRegistry => \"r.example.com/acme\";", build);
        // The Tekton runner image RunnerImage builds lives under the registry given, not the toolkit's example namespace.
        Assert.Contains("protected override string TektonRunnerImage => \"r.example.com/acme/pipeline-runner:unbuilt\";", build);
        var feed = Regex.Match(File.ReadAllText(Path.Combine(folder, "nuget.config")), "<add key=\"gitops-pipelines\" value=\"(?<feed>[^\"]+)\"").Groups["feed"].Value;
        Assert.StartsWith("https://", feed);
        Assert.Contains(feed, File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md")));
    }

    [Fact]
    public async Task A_project_to_publish_is_written_into_the_build_and_its_Dockerfile()
    {
        using var folder = new TempDirectory("template-publish");

        var result = await packed.DotNetNew(folder.Path, "gitops-pipeline", "--service", "orders", "--registry", "r.example.com/acme", "--publish", "src/orders/Orders.Api.csproj");

        Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
        Assert.Contains("new(\"orders\") { Project = \"src/orders/Orders.Api.csproj\" },", File.ReadAllText(folder.Combine("build", "Build.cs")));
        Assert.Contains("ENTRYPOINT [\"/app/Orders.Api\"]", File.ReadAllText(folder.Combine("src", "orders", "Dockerfile")));
        Assert.True(File.Exists(folder.Combine("src", "orders", ".dockerignore")));
        Assert.False(File.Exists(folder.Combine("src", "orders", "Dockerfile.dotnet")));
        // The runner image's Dockerfile comes along, so ./build.sh RunnerImage works in the new repository.
        Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tekton", "runner", "Dockerfile")), File.ReadAllText(folder.Combine("tekton", "runner", "Dockerfile")));
    }

    [Fact]
    public async Task The_manifests_of_a_new_repository_render_with_kustomize_for_its_service_and_registry()
    {
        using var folder = new TempDirectory("template-manifests");
        var result = await packed.DotNetNew(folder.Path, "gitops-pipeline", "--service", "orders", "--registry", "r.example.com/acme");
        Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);

        foreach (var path in new[] { "apps/orders/overlays/dev", "apps/orders/overlays/staging", "apps/orders/overlays/prod", "environments/dev", "environments/prod", "clusters/dev", "clusters/prod", "infrastructure" })
        {
            var render = await new Command("kubectl").WithArguments("kustomize", folder.Combine(["manifests", .. path.Split('/')])).WithOutput(OutputMode.Quiet).ExecuteAsync();
            Assert.True(render.ExitCode == 0, $"{path}: {render.StandardError}");
            Assert.DoesNotContain("example-service", render.StandardOutput);
            if (path.StartsWith("apps/") || path.StartsWith("environments/")) Assert.Contains("image: r.example.com/acme/orders:0.1.0", render.StandardOutput);
            // Strict schemas, as for this repository's manifests: the Flux notification Provider and Alert included.
            var objects = YamlToJson.ParseAll(render.StandardOutput).Select(node => (System.Text.Json.Nodes.JsonObject)node!).ToList();
            var problems = ManifestSchemas.Shared().Problems(objects);
            Assert.True(problems.Count == 0, $"{path}:\n  " + string.Join("\n  ", problems));
            if (path.StartsWith("clusters/"))
                Assert.Equal(["Alert chat", "Alert commit-status", "Provider chat", "Provider commit-status"],
                    objects.Where(o => (string?)o["kind"] is "Alert" or "Provider").Select(o => $"{o["kind"]} {o["metadata"]!["name"]}").Order(StringComparer.Ordinal));
        }
        Assert.Contains("path: ./environments/prod", File.ReadAllText(folder.Combine("manifests", "clusters", "prod", "apps.yaml")));
        Assert.Contains("  - ../../apps/orders/overlays/prod", File.ReadAllText(folder.Combine("manifests", "environments", "prod", "kustomization.yaml")));
    }

    private static string Entry(string nupkg, string name)
    {
        using var archive = ZipFile.OpenRead(nupkg);
        var entry = archive.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{Path.GetFileName(nupkg)} has no {name}");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemanticVersion();
}
