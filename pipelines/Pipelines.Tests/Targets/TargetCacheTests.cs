using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Targets;

public sealed class TargetCacheTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public TargetCacheTests()
    {
        Write("src.txt", "one");
        Write("valid.txt", "");
    }

    public void Dispose() => _harness.Dispose();

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_harness.Root, name), text);

    private string CacheDirectory => new WorkspaceLayout(_harness.Root).TargetCacheDirectory;

    private async Task<CachedTestBuild> Run(params string[] args)
    {
        var build = new CachedTestBuild();
        var exit = await _harness.RunAsync(build, "Package", args);
        Assert.True(exit == BuildRunner.Success, _harness.Text);
        return build;
    }

    [Fact]
    public async Task A_rerun_with_unchanged_inputs_skips_the_targets_and_says_why()
    {
        var first = await Run();
        _harness.Output.GetStringBuilder().Clear();

        var second = await Run();

        Assert.Equal(["Compile", "Package"], first.Ran);
        Assert.Empty(second.Ran);
        Assert.Matches(@"Compile +skipped \(cached: inputs unchanged since \d{4}-\d\d-\d\d \d\d:\d\d UTC, fingerprint [0-9a-f]{4}…\)", _harness.Text);
        Assert.Contains("Artifact: one", _harness.Text);   // the cached run's notes are in the summary
    }

    [Fact]
    public async Task A_changed_input_file_or_parameter_runs_the_target_again_and_names_the_change()
    {
        await Run();
        Write("src.txt", "two");
        var afterFile = await Run();
        var afterParameter = await Run("--flavour", "spicy");
        var unchanged = await Run("--flavour", "spicy");

        Assert.Equal(["Compile", "Package"], afterFile.Ran);
        Assert.Contains("Compile runs: inputs changed: file:src.txt.", _harness.Text);
        Assert.Equal(["Compile", "Package"], afterParameter.Ran);
        Assert.Contains("Compile runs: inputs changed: flavour.", _harness.Text);
        Assert.Empty(unchanged.Ran);
    }

    [Fact]
    public async Task A_failed_run_is_never_cached_and_forgets_the_last_success()
    {
        await Run();
        Write("src.txt", "fail");
        var failed = new CachedTestBuild();
        Assert.Equal(BuildRunner.Failure, await _harness.RunAsync(failed, "Package"));
        Assert.Equal(BuildRunner.Failure, await _harness.RunAsync(new CachedTestBuild(), "Package"));
        Write("src.txt", "one");

        var back = await Run();

        Assert.Equal(["Compile"], failed.Ran);
        Assert.Contains("Compile runs: no cached success.", _harness.Text);
        Assert.Contains("Compile", back.Ran);
    }

    [Fact]
    public async Task A_skipped_target_publishes_its_outputs_records_and_files_as_if_it_had_run()
    {
        await Run();
        File.Delete(new WorkspaceLayout(_harness.Root).StateFile);
        File.Delete(Path.Combine(new WorkspaceLayout(_harness.Root).ArtifactsDirectory, "out.txt"));
        var outputFile = Path.Combine(_harness.Root, "github-output");
        File.WriteAllText(outputFile, "");
        var host = new GitHubActionsHost(TextWriter.Null, new Dictionary<string, string> { ["GITHUB_OUTPUT"] = outputFile });

        var build = new CachedTestBuild();
        var exit = await _harness.RunAsync(build, host, "Package");

        Assert.Equal(BuildRunner.Success, exit);
        Assert.Empty(build.Ran);
        var state = PipelineState.Load(new WorkspaceLayout(_harness.Root).StateFile);
        Assert.Equal("artifact-one-Plain", state.Get("ARTIFACT"));
        Assert.Equal("package-of-artifact-one-Plain", state.Get("PACKAGE"));
        Assert.Equal(new CachedTestBuild.CompiledRecord("one", "Plain"), state.GetRecord<CachedTestBuild.CompiledRecord>("compiled"));
        Assert.Equal("compiled one", File.ReadAllText(Path.Combine(new WorkspaceLayout(_harness.Root).ArtifactsDirectory, "out.txt")));
        var outputs = File.ReadAllText(outputFile);
        Assert.Contains("ARTIFACT", outputs);
        Assert.Contains("package-of-artifact-one-Plain", outputs);
    }

    [Fact]
    public async Task Fresh_runs_every_cached_target_once_and_the_next_run_uses_the_cache_again()
    {
        await Run();

        var fresh = await Run("--fresh");
        var next = await Run();

        Assert.Equal(["Compile", "Package"], fresh.Ran);
        Assert.Contains("Compile runs: --fresh ignores the cache.", _harness.Text);
        Assert.Empty(next.Ran);
    }

    [Fact]
    public async Task A_cached_result_whose_outputs_no_longer_hold_runs_again_with_the_reason()
    {
        await Run();
        File.Delete(Path.Combine(_harness.Root, "valid.txt"));

        var rerun = await Run();

        Assert.Equal(["Package"], rerun.Ran);
        Assert.Contains("Package runs: cached outputs no longer hold: valid.txt is gone.", _harness.Text);
    }

    [Fact]
    public async Task A_cached_result_older_than_its_maximum_age_runs_again()
    {
        await Run("--max-age-seconds", "1");
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var rerun = await Run("--max-age-seconds", "1");

        Assert.Contains("Compile", rerun.Ran);
        Assert.Contains("Compile runs: the cached result expired at", _harness.Text);
    }

    [Theory]
    [InlineData("{ not json", "it is corrupt")]
    [InlineData("{\"format\": 99}", "it has format 99")]
    [InlineData("{\"format\": 2, \"toolkit\": \"another\", \"target\": \"Compile\"}", "it was written by another version of the toolkit")]
    [InlineData("{\"format\": 2, \"target\": \"Compile\", \"fingerprint\": 42}", "it was written by another version of the toolkit")]
    public async Task A_corrupt_or_foreign_cache_entry_is_ignored_with_a_warning_and_never_trusted(string entry, string why)
    {
        await Run();
        File.WriteAllText(Path.Combine(CacheDirectory, "Compile.json"), entry);

        var rerun = await Run();

        Assert.Contains("Compile", rerun.Ran);
        Assert.Contains($"Ignoring the cache entry {Path.Combine(CacheDirectory, "Compile.json")} of Compile: {why}", _harness.Text.Replace("\n", " "));
        Assert.Empty((await Run()).Ran);   // the run that ignored it wrote a good entry again
    }

    [Fact]
    public async Task A_corrupt_entry_from_this_toolkit_is_ignored_too()
    {
        await Run();
        var path = Path.Combine(CacheDirectory, "Compile.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"fingerprint\": \"", "\"fingerprint\": \"x"));

        var rerun = await Run();

        Assert.Contains("Compile", rerun.Ran);
        Assert.Contains("of Compile: it is corrupt (no fingerprint)", _harness.Text);
    }

    [Fact]
    public async Task The_cache_lives_in_the_folder_CI_keeps_when_one_is_named()
    {
        var kept = Path.Combine(_harness.Root, "kept");
        _harness.Environment["PIPELINE_CACHE_DIR"] = kept;

        await Run();
        var second = await Run();

        Assert.True(File.Exists(Path.Combine(kept, "targets", "Compile.json")), "the entry should be in the named folder");
        Assert.False(Directory.Exists(CacheDirectory));
        Assert.Empty(second.Ran);
    }

    [Fact]
    public void A_fingerprint_names_what_changed_and_hashes_values_invariantly()
    {
        var before = new Fingerprint(_harness.Root).Add("list", new[] { "a", "b" }).Add("age", TimeSpan.FromMinutes(5)).Add("none", null);
        var same = new Fingerprint(_harness.Root).Add("none", null).Add("age", TimeSpan.FromMinutes(5)).Add("list", new[] { "a", "b" });
        var after = new Fingerprint(_harness.Root).Add("list", new[] { "a", "c" }).Add("age", TimeSpan.FromMinutes(5)).File("src.txt");

        Assert.Equal(before.Hash, same.Hash);
        Assert.NotEqual(before.Hash, after.Hash);
        Assert.Equal(["file:src.txt", "list", "none"], after.ChangedSince(before.Entries));
    }

    [Fact]
    public async Task A_truncated_cached_file_is_not_restored_and_the_target_runs_again_with_a_warning()
    {
        await Run();
        File.WriteAllText(Path.Combine(CacheDirectory, "Compile.files", "artifacts", "out.txt"), "");
        var output = Path.Combine(new WorkspaceLayout(_harness.Root).ArtifactsDirectory, "out.txt");
        File.Delete(output);

        var rerun = await Run();

        Assert.Contains("Compile", rerun.Ran);
        Assert.Contains("Compile: the cached copy of artifacts/out.txt does not match the hash recorded when it was kept (truncated or changed); it is not restored", _harness.Text);
        Assert.Equal("compiled one", File.ReadAllText(output));
        Assert.Empty((await Run()).Ran);   // the rerun kept a good copy again
    }

    [Fact]
    public async Task A_failed_runs_incomplete_file_is_never_cached_and_the_next_success_removes_it()
    {
        var incomplete = Path.Combine(new WorkspaceLayout(_harness.Root).ArtifactsDirectory, "out.txt.incomplete");
        Directory.CreateDirectory(Path.GetDirectoryName(incomplete)!);
        File.WriteAllText(incomplete, "half a report");

        await Run();

        Assert.False(File.Exists(incomplete), "the success left the failed run's partial file");
        Assert.Empty(Directory.EnumerateFiles(CacheDirectory, "*.incomplete", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_hex_like_secret_never_touches_the_hashes_a_cache_entry_stores()
    {
        await Run();
        var fingerprint = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(CacheDirectory, "Compile.json")))!["fingerprint"]!.GetValue<string>();
        Directory.Delete(CacheDirectory, recursive: true);
        var host = new TerminalHost(_harness.Output, _harness.Environment, interactive: false);
        host.AddSecret(fingerprint[10..30]);   // a token that happens to look like part of the hash

        Assert.Equal(BuildRunner.Success, await _harness.RunAsync(new CachedTestBuild(), host, "Package"));
        var rerun = await Run();

        Assert.Empty(rerun.Ran);
        Assert.DoesNotContain("Ignoring the cache entry", _harness.Text);
        Assert.Contains(fingerprint, File.ReadAllText(Path.Combine(CacheDirectory, "Compile.json")));
    }

    [Fact]
    public async Task A_cache_that_cannot_be_written_is_a_warning_and_the_run_succeeds()
    {
        var notAFolder = Path.Combine(_harness.Root, "cache-file");
        File.WriteAllText(notAFolder, "");
        _harness.Environment["PIPELINE_CACHE_DIR"] = notAFolder;

        var build = await Run();

        Assert.Equal(["Compile", "Package"], build.Ran);
        Assert.Contains("Compile succeeded but could not be cached", _harness.Text);
    }
}
