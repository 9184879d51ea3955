using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Processes;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

/// <summary>The generated Tasks' own scripts (git-clone, report-status), run with sh as their step would run them.</summary>
public sealed class TektonScriptTests(GeneratedTree tree) : IClassFixture<GeneratedTree>
{
    [Fact]
    public async Task The_clone_Task_checks_out_the_revision_into_a_clean_workspace_and_reports_the_commit()
    {
        using var folder = new TempDirectory("tekton-clone");
        var origin = folder.Combine("origin");
        Directory.CreateDirectory(origin);
        await Git(origin, "init", "--quiet", "--initial-branch", "main");
        await File.WriteAllTextAsync(Path.Combine(origin, "README.md"), "first\n");
        await Git(origin, "add", "-A");
        await Git(origin, "commit", "--quiet", "-m", "first");
        var first = (await Git(origin, "rev-parse", "HEAD")).Trim();
        await File.WriteAllTextAsync(Path.Combine(origin, "README.md"), "second\n");
        await Git(origin, "commit", "--quiet", "-am", "second");
        var workspace = folder.Combine("workspace");
        Directory.CreateDirectory(workspace);
        await File.WriteAllTextAsync(Path.Combine(workspace, "left-over.txt"), "from an earlier run");

        var (result, results) = await RunStep("demo-git-clone", workspace, "output",
            new() { ["url"] = "file://" + origin, ["revision"] = first });

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(first, results["commit"]);
        Assert.Equal("file://" + origin, results["url"]);
        Assert.Equal("first\n", await File.ReadAllTextAsync(Path.Combine(workspace, "README.md")));
        Assert.False(File.Exists(Path.Combine(workspace, "left-over.txt")));
    }

    [Theory]
    [InlineData("https://git.example.test/acme/private.git", true)]
    [InlineData("http://git.example.test/acme/private.git", false)]
    public async Task The_clone_Task_sends_the_Secret_token_over_https_only_and_never_on_a_command_line(string url, bool sent)
    {
        using var folder = new TempDirectory("tekton-clone-token");
        // A git stand-in that records its arguments and the configuration git would read from its environment.
        var bin = folder.Combine("bin");
        Directory.CreateDirectory(bin);
        var calls = folder.Combine("calls");
        var fake = Path.Combine(bin, "git");
        await File.WriteAllTextAsync(fake, $$"""
            #!/bin/sh
            echo "argv: $*" >> "{{calls}}"
            env | grep '^GIT_CONFIG' | sort >> "{{calls}}"
            if [ "$1" = rev-parse ]; then echo 0123456789abcdef0123456789abcdef01234567; fi
            """);
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        var workspace = folder.Combine("workspace");
        Directory.CreateDirectory(workspace);
        const string token = "s3cret-token";

        var (result, _) = await RunStep("demo-git-clone", workspace, "output", new() { ["url"] = url, ["revision"] = "main" },
            secrets: new() { ["GIT_TOKEN"] = token }, extra: new() { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" });

        Assert.True(result.ExitCode == 0, result.StandardError);
        var recorded = await File.ReadAllLinesAsync(calls);
        Assert.DoesNotContain(recorded, line => line.StartsWith("argv:") && line.Contains(token));
        var header = "GIT_CONFIG_VALUE_1=Authorization: Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("x-access-token:" + token));
        var fetch = recorded.SkipWhile(l => !l.StartsWith("argv: fetch")).Skip(1).TakeWhile(l => !l.StartsWith("argv:")).ToList();
        Assert.Equal(sent, fetch.Contains(header));
        // Scoped to the repository's host: a redirect or a submodule elsewhere never gets the token.
        Assert.Equal(sent, fetch.Contains("GIT_CONFIG_KEY_1=http.https://git.example.test/.extraHeader"));
        Assert.DoesNotContain("GIT_CONFIG_KEY_1=http.extraHeader", fetch);
        if (!sent) Assert.Contains("sent over https only", result.StandardError);
        // Nothing of it is left in the workspace, which later Tasks and the cache share.
        Assert.DoesNotContain(Directory.GetFiles(workspace, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(token));
    }

    [Theory]
    [InlineData("", true, null)]
    [InlineData("{origin}/", true, null)]
    [InlineData("file:///elsewhere/attacker", false, "Refusing to clone file:///elsewhere/attacker: GIT_URL in the ConfigMap is")]
    public async Task The_clone_Task_clones_the_ConfigMap_repository_and_refuses_any_other_url(string url, bool cloned, string? refusal)
    {
        using var folder = new TempDirectory("tekton-clone-configured");
        var origin = folder.Combine("origin");
        Directory.CreateDirectory(origin);
        await Git(origin, "init", "--quiet", "--initial-branch", "main");
        await File.WriteAllTextAsync(Path.Combine(origin, "README.md"), "configured\n");
        await Git(origin, "add", "-A");
        await Git(origin, "commit", "--quiet", "-m", "first");
        var workspace = folder.Combine("workspace");
        Directory.CreateDirectory(workspace);

        var (result, results) = await RunStep("demo-git-clone", workspace, "output",
            new() { ["url"] = url.Replace("{origin}", "file://" + origin), ["revision"] = "main" },
            settings: new() { ["GIT_URL"] = "file://" + origin });

        Assert.Equal(cloned, result.ExitCode == 0);
        if (cloned) Assert.Equal("configured\n", await File.ReadAllTextAsync(Path.Combine(workspace, "README.md")));
        else Assert.Contains(refusal!, result.StandardError);
        if (!cloned) Assert.False(results.ContainsKey("commit"));
    }

    [Fact]
    public async Task The_clone_Task_without_a_url_or_a_configured_one_names_the_ConfigMap_key()
    {
        using var folder = new TempDirectory("tekton-clone-none");
        var (result, _) = await RunStep("demo-git-clone", folder.Path, "output", new() { ["revision"] = "main" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("set GIT_URL in the ConfigMap", result.StandardError);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_clone_Task_works_in_a_workspace_owned_by_another_user_only_through_its_safe_directory(bool withSafeDirectory)
    {
        using var folder = new TempDirectory("tekton-clone-owner");
        var origin = folder.Combine("origin");
        Directory.CreateDirectory(origin);
        await Git(origin, "init", "--quiet", "--initial-branch", "main");
        await File.WriteAllTextAsync(Path.Combine(origin, "README.md"), "first\n");
        await Git(origin, "add", "-A");
        await Git(origin, "commit", "--quiet", "-m", "first");
        // A bundle as the remote: fetching it opens no second repository that the ownership switch would refuse too.
        var bundle = folder.Combine("origin.bundle");
        await Git(origin, "bundle", "create", bundle, "main");
        var workspace = folder.Combine("workspace");
        Directory.CreateDirectory(workspace);
        // git's own switch for "this repository belongs to someone else": what a root-owned volume is to uid 1654.
        var environment = new Dictionary<string, string> { ["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1" };
        if (!withSafeDirectory) environment["GIT_CONFIG_COUNT"] = "0";

        var (result, results) = await RunStep("demo-git-clone", workspace, "output", new() { ["url"] = bundle, ["revision"] = "main" }, extra: environment);

        if (withSafeDirectory)
        {
            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Equal((await Git(origin, "rev-parse", "HEAD")).Trim(), results["commit"]);
        }
        else
        {
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("dubious ownership", result.StandardError);
        }
    }

    [Fact]
    public async Task The_status_Task_posts_the_pipeline_outcome_to_GitHub_with_the_token_from_the_Secret()
    {
        await using var github = await FakeGitHub();

        var (result, _) = await RunStep("demo-report-status", null, null,
            new() { ["state"] = "Failed", ["repository"] = "acme/demo", ["revision"] = "0123456789abcdef0123456789abcdef01234567", ["pipeline-run"] = "demo-x7k2", ["github-api-url"] = github.Url.GetLeftPart(UriPartial.Authority) },
            new() { ["GITHUB_TOKEN"] = "ghp_test_token" });

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var request = Assert.Single(github.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/repos/acme/demo/statuses/0123456789abcdef0123456789abcdef01234567", request.PathAndQuery);
        Assert.Equal("Bearer ghp_test_token", request.Headers.GetValueOrDefault("Authorization"));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("failure", body["state"]!.GetValue<string>());
        Assert.Equal("tekton/demo", body["context"]!.GetValue<string>());
        Assert.Equal("PipelineRun demo-x7k2: Failed", body["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_status_Task_posts_nothing_without_a_token()
    {
        await using var github = await FakeGitHub();

        var (result, _) = await RunStep("demo-report-status", null, null,
            new() { ["state"] = "Succeeded", ["repository"] = "acme/demo", ["revision"] = "abc", ["pipeline-run"] = "demo-1", ["github-api-url"] = github.Url.GetLeftPart(UriPartial.Authority) });

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(github.Requests);
        Assert.Contains("no commit status is posted", result.StandardOutput);
    }

    [Fact]
    public async Task The_status_Task_posts_nothing_for_a_revision_that_is_not_a_commit_SHA()
    {
        await using var github = await FakeGitHub();

        // git-revision defaults to the branch name when a run is started by hand without a SHA.
        var (result, _) = await RunStep("demo-report-status", null, null,
            new() { ["state"] = "Failed", ["repository"] = "acme/demo", ["revision"] = "main", ["pipeline-run"] = "demo-2", ["github-api-url"] = github.Url.GetLeftPart(UriPartial.Authority) },
            new() { ["GITHUB_TOKEN"] = "ghp_test_token" });

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(github.Requests);
        Assert.Contains("git-revision 'main' is not a commit SHA", result.StandardOutput);
    }

    /// <summary>Runs a Task's single script step: params through its env (defaults where not given), Tekton paths substituted.</summary>
    private async Task<(CommandResult Result, Dictionary<string, string> Results)> RunStep(
        string taskName, string? workspace, string? workspaceName, Dictionary<string, string> parameters, Dictionary<string, string>? secrets = null,
        Dictionary<string, string>? extra = null, Dictionary<string, string>? settings = null)
    {
        using var scratch = new TempDirectory("tekton-step");
        var task = YamlToJson.Parse(tree.Text($"tekton/tasks/{taskName}.yaml"))!["spec"]!;
        foreach (var declared in task["params"]!.AsArray())
        {
            var name = declared!["name"]!.GetValue<string>();
            if (!parameters.ContainsKey(name))
                parameters[name] = declared["default"]?.GetValue<string>() ?? throw new ArgumentException($"param {name} has no default");
        }
        var step = task["steps"]!.AsArray().Single()!;
        var script = step["script"]!.GetValue<string>();
        if (workspaceName is not null) script = script.Replace($"$(workspaces.{workspaceName}.path)", workspace);
        foreach (var result in task["results"]?.AsArray() ?? [])
            script = script.Replace($"$(results.{result!["name"]}.path)", scratch.Combine("result-" + result["name"]));
        var scriptPath = scratch.Combine("script.sh");
        await File.WriteAllTextAsync(scriptPath, script);

        var command = new Command("sh").WithArguments(scriptPath).WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(1))
            .WithWorkingDirectory(workspace ?? scratch.Path);
        foreach (var variable in step["env"]!.AsArray())
        {
            var name = variable!["name"]!.GetValue<string>();
            var value = variable["value"]?.GetValue<string>() is { } text
                ? parameters.Aggregate(text, (t, p) => t.Replace($"$(params.{p.Key})", p.Value))
                : variable["valueFrom"]!["configMapKeyRef"]?["key"]?.GetValue<string>() is { } key
                ? settings?.GetValueOrDefault(key)
                : secrets?.GetValueOrDefault(variable["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>() == "token" ? "GITHUB_TOKEN" : name);
            if (workspaceName is not null) value = value?.Replace($"$(workspaces.{workspaceName}.path)", workspace);
            command = command.WithEnvironment(name, value);
        }
        foreach (var (name, value) in extra ?? []) command = command.WithEnvironment(name, value);

        var outcome = await command.ExecuteAsync();
        var results = (task["results"]?.AsArray() ?? []).Select(r => r!["name"]!.GetValue<string>())
            .Where(r => File.Exists(scratch.Combine("result-" + r)))
            .ToDictionary(r => r, r => File.ReadAllText(scratch.Combine("result-" + r)));
        return (outcome, results);
    }

    private static Task<string> Git(string directory, params string[] arguments) => TestGit.OutputAsync(directory, arguments);

    private static Task<FakeServer> FakeGitHub() => FakeServer.StartAsync(app =>
        // POST /repos/{owner}/{repo}/statuses/{sha}: docs.github.com/rest/commits/statuses#create-a-commit-status
        app.MapPost("/repos/{owner}/{repo}/statuses/{sha}", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            return Results.Json(new { state = body?["state"]?.GetValue<string>() }, statusCode: 201);
        }));
}
