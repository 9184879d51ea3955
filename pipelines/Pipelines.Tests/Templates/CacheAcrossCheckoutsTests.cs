using System.Collections;
using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Templates;

/// <summary>
/// The target cache serves another checkout of the same commit: a repository made from the template, cloned twice at
/// different paths (one with a space), each compiling its own build with <c>./build.sh</c>, sharing one
/// <c>PIPELINE_CACHE_DIR</c> as a CI cache restored on another runner does. The second clone's Test is a cache hit.
/// </summary>
[Collection(PackedTemplateCollection.Name)]
public sealed class CacheAcrossCheckoutsTests(PackedTemplate packed) : IDisposable
{
    private const string Service = "hello";
    private readonly TempDirectory _work = new("cache-clones");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_target_cached_in_one_clone_is_a_cache_hit_in_another_clone_at_another_path()
    {
        var origin = _work.Combine("origin");
        Directory.CreateDirectory(origin);
        await TestGit.RunAsync(origin, ["init", "--quiet", "-b", "main"]);
        var created = await packed.DotNetNew(origin, new Dictionary<string, string?> { [TemplateRulesTests.TemplateFeedVariable] = packed.Feed }, "gitops-pipeline", "-n", Service);
        Assert.True(created.Succeeded, created.StandardOutput + created.StandardError);
        await TestGit.RunAsync(origin, ["add", "-A"]);
        await TestGit.RunAsync(origin, ["commit", "--quiet", "-m", "dotnet new gitops-pipeline"]);
        var first = _work.Combine("runner-1", "repo");
        var second = _work.Combine("runner two", "checkout", "repo");
        await TestGit.RunAsync(null, ["clone", "--quiet", origin, first]);
        await TestGit.RunAsync(null, ["clone", "--quiet", origin, second]);
        var cache = _work.Combine("ci-cache");

        var ran = await BuildAsync(first, cache);
        var reused = await BuildAsync(second, cache);

        Assert.True(ran.Succeeded, Describe(ran));
        Assert.Contains("Test runs: no cached success.", ran.StandardOutput);
        Assert.True(reused.Succeeded, Describe(reused));
        Assert.Contains("Test skipped: cached: inputs unchanged since", reused.StandardOutput);
        Assert.DoesNotContain("written by another version of the toolkit or build", reused.StandardOutput + reused.StandardError);
        // The clones compiled their own builds: equal bytes, though their paths differ.
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, ".build", "bin", "Build.dll")), File.ReadAllBytes(Path.Combine(second, ".build", "bin", "Build.dll")));
    }

    /// <summary><c>./build.sh Test</c> as on a CI runner whose cache folder is restored from <paramref name="cache"/>.</summary>
    private Task<CommandResult> BuildAsync(string repository, string cache)
    {
        var environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = _work.Combine("nuget-packages"),
            ["CI"] = null,
            ["KUBERNETES_SERVICE_HOST"] = null,
        };
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith("PIPELINE_") || name.StartsWith("GITHUB_") || name.StartsWith("TEKTON_")) environment[name] = null;
        }
        environment["PIPELINE_CACHE_DIR"] = cache;
        return new Command(Path.Combine(repository, "build.sh"))
            .WithArguments("Test")
            .WithWorkingDirectory(repository)
            .WithEnvironment(environment)
            .WithOutput(OutputMode.Quiet)
            .WithTimeout(TimeSpan.FromMinutes(15))
            .ExecuteAsync();
    }

    private static string Describe(CommandResult result) =>
        $"{result.Command} exited with {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}";
}
