using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Logging;

namespace Pipelines.Tests.Targets;

/// <summary>The repository is the one build.sh lives in (PIPELINE_ROOT), whatever the current directory.</summary>
public sealed class RootDirectoryTests : IDisposable
{
    private readonly TempDirectory _other = new("other-checkout");
    private readonly BuildHarness _harness = new();

    public void Dispose()
    {
        _other.Dispose();
        _harness.Dispose();
    }

    [Fact]
    public void PIPELINE_ROOT_wins_over_the_current_directory_even_inside_another_checkout()
    {
        File.WriteAllText(_other.Combine("Pipeline.sln"), "");
        var inside = Directory.CreateDirectory(_other.Combine("src")).FullName;

        Assert.Equal(TestPaths.RepositoryRoot, PipelineBuild.ResolveRoot(TestPaths.RepositoryRoot, inside));
        Assert.Equal(TestPaths.RepositoryRoot, PipelineBuild.ResolveRoot(TestPaths.RepositoryRoot, Path.GetTempPath()));
        Assert.Equal(_other.Path, PipelineBuild.ResolveRoot(null, inside));
    }

    [Fact]
    public void A_repository_made_from_the_template_is_found_by_its_build_project_without_a_Pipeline_sln()
    {
        Directory.CreateDirectory(_other.Combine("build"));
        File.WriteAllText(_other.Combine("build", "Build.csproj"), "<Project />");
        var inside = Directory.CreateDirectory(_other.Combine("src", "orders")).FullName;

        Assert.True(PipelineBuild.IsRepositoryRoot(_other.Path));
        Assert.Equal(_other.Path, PipelineBuild.ResolveRoot(null, inside));
        Assert.False(PipelineBuild.IsRepositoryRoot(inside));
    }

    [Fact]
    public async Task A_PIPELINE_ROOT_that_is_no_repository_is_one_message()
    {
        _harness.Environment["PIPELINE_ROOT"] = _other.Path;

        var exit = await _harness.RunAsync(new TestBuild(), "Test", "Test");

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains($"PIPELINE_ROOT={_other.Path} holds no build/Build.csproj", _harness.Text);
    }

    [Fact]
    public async Task build_sh_run_from_another_directory_uses_its_own_repository()
    {
        File.WriteAllText(_other.Combine("Pipeline.sln"), "");
        var result = await new Pipelines.Processes.Command(Path.Combine(TestPaths.RepositoryRoot, "build.sh"))
            .WithArguments(["GenerateKey", "--output-dir", _other.Combine("keys")])
            .WithWorkingDirectory(_other.Path)
            .WithOutput(Pipelines.Processes.OutputMode.Quiet)
            .WithTimeout(TimeSpan.FromMinutes(5))
            .ExecuteAsync(new Pipelines.Logging.MemoryLog(), CancellationToken.None);

        // From inside another checkout the build still checks its own global.json and runs.
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.True(File.Exists(_other.Combine("keys", "cosign.pub")));
        Assert.DoesNotContain(Path.Combine(_other.Path, "global.json"), result.StandardOutput + result.StandardError);
    }
}
