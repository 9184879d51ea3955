using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipelines.Components;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Templates;

/// <summary>
/// The template's rules read from its sources, without packing: its service-name check is the build's, and the feed
/// it falls back to is the one the README names.
/// </summary>
public sealed partial class TemplateRulesTests
{
    private static readonly JsonNode Template = JsonNode.Parse(File.ReadAllText(
        Path.Combine(TestPaths.RepositoryRoot, "templates", "gitops-pipeline", ".template.config", "template.json")))!;

    [Fact]
    public void The_template_checks_the_service_name_with_the_builds_pattern_text()
    {
        var source = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "pipelines", "Pipelines", "Components", "ServiceList.cs"));
        var buildPattern = Assert.Single(GeneratedRegexText().Matches(source)).Groups["pattern"].Value;

        var templatePattern = Template["symbols"]!["serviceValid"]!["parameters"]!["pattern"]!.GetValue<string>();

        Assert.Equal(buildPattern, templatePattern);
        Assert.Equal("serviceName", Template["symbols"]!["serviceValid"]!["parameters"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public void The_templates_build_gates_Test_at_75_percent_line_coverage_and_its_tests_collect_coverage()
    {
        var build = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "templates", "gitops-pipeline", "build", "Build.cs"));
        var tests = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "templates", "gitops-pipeline", "tests", "Repository.Tests", "Repository.Tests.csproj"));

        // The same explicit implementation CoverageGateTests runs as a build's own default.
        Assert.Contains("double? ITest.CoverageThreshold => ValueOf(() => ((ITest)this).CoverageThreshold, 75);", build);
        Assert.Matches(@"class Build : GitOpsBuild, ITest\b", build);
        Assert.Contains("<PackageReference Include=\"coverlet.collector\"", tests);
    }

    [Fact]
    public void A_GitOpsBuild_that_reimplements_ITest_as_the_template_does_has_75_as_its_threshold_in_help_and_CI()
    {
        var build = new TemplateShapedBuild();

        Assert.Equal(75, ((ITest)build).CoverageThreshold);
        var shape = Pipelines.Generators.BuildShape.Of(typeof(TemplateShapedBuild));
        Assert.Equal("75", Assert.Single(shape.Parameters, p => p.CliName == "coverage-threshold").DefaultText);
    }

    private sealed class TemplateShapedBuild : GitOpsBuild, ITest
    {
        protected override string Name => "orders";
        protected override IReadOnlyList<Service> Services => [new("orders")];
        double? ITest.CoverageThreshold => ValueOf(() => ((ITest)this).CoverageThreshold, 75);
    }

    [Fact]
    public void The_templates_refusal_of_a_service_name_says_what_the_build_says()
    {
        var refusal = Template["postActions"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "invalid-service")!["description"]!.GetValue<string>();

        Assert.Contains($"--service (default: the output name) must be {ServiceList.NameRule}.", refusal);
    }

    [Fact]
    public void The_feed_a_new_repository_restores_from_by_default_is_the_one_the_README_names_and_never_a_path()
    {
        var feed = Template["symbols"]!["feedDefault"]!["parameters"]!["value"]!.GetValue<string>();

        Assert.StartsWith("https://", feed);
        Assert.Contains(feed, File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md")));
        Assert.Equal("env:" + TemplateFeedVariable, Template["symbols"]!["feedFromEnvironment"]!["binding"]!.GetValue<string>());
    }

    /// <summary>The environment variable whose value, when <c>dotnet new</c> runs, becomes the repository's feed.</summary>
    internal const string TemplateFeedVariable = "GITOPS_PIPELINES_FEED";

    [GeneratedRegex("""\[GeneratedRegex\("(?<pattern>[^"]+)"\)\]\s+private static partial Regex NamePattern""")]
    private static partial Regex GeneratedRegexText();
}
