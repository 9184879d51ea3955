using System.Text.RegularExpressions;
using Pipelines.Components;
using Pipelines.Generators;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;

namespace Pipelines.Tests.Components;

/// <summary>
/// A build's own target hooked in front of a component's, exactly as the README's "Add your own target" shows it:
/// planned before Containerize, listed by --help, and a Task of the generated Tekton Pipeline.
/// </summary>
public sealed class OwnTargetTests : IDisposable
{
    /// <summary>This repository's build plus the README's Lint target (the same code, checked against the README below).</summary>
    private sealed class LintBuild : global::Build
    {
        /// <summary>Refuses a Dockerfile that would run its image as root, before any image is built.</summary>
        Target Lint => _ => _
            .Description("Checks that each service's Dockerfile sets a non-root USER")
            .DependentFor<IContainerize>(x => x.Containerize)
            .Executes(context =>
            {
                foreach (var service in Services)
                    if (!File.ReadLines(Path.Combine(RootDirectory, service.Dockerfile)).Any(line => line.StartsWith("USER ", StringComparison.Ordinal)))
                        throw new PipelineException($"{service.Dockerfile} sets no USER: its image would run as root. Add `USER 1654` after the last COPY.");
                context.Note("Lint", $"{Services.Count} Dockerfile(s) set a USER");
            });
    }

    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task The_plan_of_Deploy_runs_the_build_s_own_Lint_before_Containerize()
    {
        var exit = await _harness.RunAsync(new LintBuild(), "Test", "--plan", "Deploy");

        Assert.Equal(0, exit);
        var plan = Regex.Matches(_harness.Text, @"^\s+\d+\. (\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["Test", "Lint", "Containerize", "Scan", "Sign", "Deploy"], plan);
    }

    [Fact]
    public async Task Help_lists_the_build_s_own_target_with_its_description()
    {
        var exit = await _harness.RunAsync(new LintBuild(), "Test", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Lint ", _harness.Text);
        Assert.Contains("Checks that each service's Dockerfile sets a non-root USER", _harness.Text);
        Assert.Matches(@"Containerize\s+Publishes[^\n]*\n\s+depends on Test, Lint", _harness.Text);
    }

    [Fact]
    public void Generate_gives_the_build_s_own_target_a_Tekton_Task_that_runs_before_Containerize()
    {
        var build = new LintBuild();
        var files = new CiGenerator(BuildShape.Of(typeof(LintBuild)).ForCi(severalServices: true), ((IGenerate)build).Ci).Generate(TestPaths.RepositoryRoot);

        var task = Assert.Single(files, f => f.RelativePath == "tekton/tasks/shortlink-lint.yaml");
        Assert.Contains("    command:\n    - ./build.sh\n    args:\n    - Lint\n    - --skip\n", task.Content);
        var pipeline = files.Single(f => f.RelativePath == "tekton/pipeline.yaml").Content;
        Assert.Matches(@"- name: containerize\n(.*\n)*?\s+runAfter:\n(\s+- \S+\n)*\s+- lint\n", pipeline);
    }

    [Fact]
    public async Task The_readme_shows_the_same_Lint_target_this_test_runs()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var snippet = Regex.Match(readme, "<!-- lint:begin -->\n```csharp\n(.*?)```\n<!-- lint:end -->", RegexOptions.Singleline);
        Assert.True(snippet.Success, "README.md lacks the <!-- lint:begin/end --> code block");
        var source = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "pipelines", "Pipelines.Tests", "Components", "OwnTargetTests.cs"));
        string Body(string text) => Regex.Replace(Regex.Match(text, @"Target Lint => .*?\}\);", RegexOptions.Singleline).Value, @"\s+", " ");
        Assert.Equal(Body(snippet.Groups[1].Value), Body(source));
    }
}
