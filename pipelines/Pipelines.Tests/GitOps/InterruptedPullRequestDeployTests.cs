using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.GitHub;
using Pipelines.GitOps;
using Pipelines.Oci;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitOps;

/// <summary>A pull-request deploy stopped mid-way says whether the branch was pushed and the pull request opened.</summary>
public sealed class InterruptedPullRequestDeployTests
{
    private static readonly string DigestA = "sha256:" + new string('a', 64);
    private static readonly string Branch = "deploy/prod/shortlink-" + new string('a', 12);

    private static DeployRequest Request() =>
        new("prod", "shortlink", DeployRequest.DefaultPath("shortlink", "prod"),
            new ImageUpdate("shortlink", "127.0.0.1:5000/shortlink", "1.1.0", DigestA), "feedface", "local:test");

    private static DeployClearance Clearance() =>
        new(ImageReference.Parse("127.0.0.1:5000/shortlink@" + DigestA), "verified: 1 of 1 signature(s)", "passed (0 critical, 0 high)");

    /// <summary>A fake GitHub whose "create pull request" stores the pull request, says so, and answers only after 5 s.</summary>
    private static Task<FakeServer> SlowGitHub(List<JsonObject> pulls, TaskCompletionSource posted) => FakeServer.StartAsync(app =>
    {
        app.MapGet("/api/v3/repos/acme/manifests/pulls", () => Results.Json(new JsonArray(pulls.Select(p => (JsonNode)p.DeepClone()).ToArray())));
        app.MapPost("/api/v3/repos/acme/manifests/pulls", async (HttpRequest request) =>
        {
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            var pull = new JsonObject
            {
                ["number"] = 7,
                ["html_url"] = "https://github.com/acme/manifests/pull/7",
                ["state"] = "open",
                ["title"] = body["title"]!.GetValue<string>(),
                ["body"] = body["body"]!.GetValue<string>(),
                ["head"] = new JsonObject { ["ref"] = body["head"]!.GetValue<string>(), ["sha"] = "x" },
                ["base"] = new JsonObject { ["ref"] = body["base"]!.GetValue<string>(), ["sha"] = "y" },
            };
            lock (pulls) pulls.Add(pull);
            posted.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(5));
            return Results.Json(pull, statusCode: 201);
        });
        app.MapPost("/api/v3/repos/acme/manifests/issues/{number:int}/labels", () => Results.Json(new JsonArray()));
    });

    [Fact]
    public async Task A_pull_request_deploy_stopped_after_the_branch_push_but_before_the_pull_request_says_it_is_not_deployed()
    {
        using var manifests = await BareManifests.CreateAsync();
        File.WriteAllText(Path.Combine(manifests.Path, "hooks", "post-receive"), "#!/bin/sh\nsleep 3\n");
        File.SetUnixFileMode(Path.Combine(manifests.Path, "hooks", "post-receive"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var pulls = new List<JsonObject>();
        await using var github = await SlowGitHub(pulls, new TaskCompletionSource());
        using var client = new GitHubClient("ghp_test", github.Url.ToString());
        using var stop = new CancellationTokenSource();

        var deploy = new GitOpsDeployer(manifests.Repository(), manifests.Log).DeployAsync(
            Request(), DeployMode.PullRequest, Clearance(), new PullRequestSettings(client, new GitHubRepository("acme", "manifests"), "main"), null, stop.Token);
        await WaitUntilAsync(async () => (await TestGit.In(null).WithArguments(["--git-dir", manifests.Path, "rev-parse", "--verify", "-q", Branch]).ExecuteAsync()).Succeeded);
        stop.Cancel();
        var error = await Assert.ThrowsAsync<PipelineException>(() => deploy);

        var pushed = (await manifests.GitAsync("rev-parse", Branch)).Trim();
        Assert.Contains($"prod: not deployed: branch `{Branch}` holds {pushed}, but the run was interrupted before its pull request was opened", error.Message);
        Assert.Empty(pulls);
    }

    [Fact]
    public async Task A_pull_request_deploy_stopped_while_github_opened_the_pull_request_reports_that_pull_request()
    {
        using var manifests = await BareManifests.CreateAsync();
        var pulls = new List<JsonObject>();
        var posted = new TaskCompletionSource();
        await using var github = await SlowGitHub(pulls, posted);
        using var client = new GitHubClient("ghp_test", github.Url.ToString());
        using var stop = new CancellationTokenSource();

        var deploy = new GitOpsDeployer(manifests.Repository(), manifests.Log).DeployAsync(
            Request(), DeployMode.PullRequest, Clearance(), new PullRequestSettings(client, new GitHubRepository("acme", "manifests"), "main"), null, stop.Token);
        await posted.Task.WaitAsync(TimeSpan.FromSeconds(60));
        stop.Cancel();
        var outcome = await deploy;

        Assert.True(outcome.Revision.Interrupted);
        Assert.Equal(7, outcome.PullRequest!.Number);
        Assert.Equal((await manifests.GitAsync("rev-parse", Branch)).Trim(), outcome.Revision.Commit);
        Assert.Contains("(interrupted after the push)", outcome.Describe());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The push did not reach the hook within 60 s.");
            await Task.Delay(20);
        }
    }
}
