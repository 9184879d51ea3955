using System.Text.RegularExpressions;
using Pipelines.Targets;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Build;

public class ReadmeTests
{
    [Fact]
    public async Task The_readme_table_of_targets_and_parameters_is_what_the_build_declares()
    {
        var output = new StringWriter();
        var runner = new BuildRunner(new global::Build(), "Test", output, output, new Dictionary<string, string>());

        var exit = await runner.RunAsync(["--help", "--markdown"]);

        Assert.Equal(0, exit);
        var readme = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var section = Regex.Match(readme, "<!-- targets:begin -->\n(.*)<!-- targets:end -->", RegexOptions.Singleline);
        Assert.True(section.Success, "README.md lacks the <!-- targets:begin/end --> markers");
        Assert.True(section.Groups[1].Value == output.ToString(),
            "README.md's targets table is stale: run ./build.sh --help --markdown and paste it between the markers.");
    }

    [Fact]
    public async Task The_bootstrap_scripts_and_ci_entry_call_the_test_command()
    {
        var root = TestPaths.RepositoryRoot;

        Assert.Contains("./build.sh Test", await File.ReadAllTextAsync(Path.Combine(root, ".ci", "run")));
        Assert.Contains("./build.sh Deploy", await File.ReadAllTextAsync(Path.Combine(root, "README.md")));
        Assert.True(File.Exists(Path.Combine(root, "build.ps1")));
    }
}
