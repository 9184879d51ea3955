using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.GitHub;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitHub;

/// <summary>Against a fake that answers as GitHub's REST API documents.</summary>
public class GitHubClientTests
{
    private static readonly GitHubRepository Repo = new("acme", "manifests");

    private static JsonObject PullJson(int number, string head, string title) => new()
    {
        ["number"] = number,
        ["html_url"] = $"https://github.com/acme/manifests/pull/{number}",
        ["state"] = "open",
        ["title"] = title,
        ["body"] = "body",
        ["head"] = new JsonObject { ["ref"] = head, ["sha"] = "aaaa" },
        ["base"] = new JsonObject { ["ref"] = "main", ["sha"] = "bbbb" },
    };

    [Fact]
    public async Task Pull_requests_are_created_listed_updated_and_labelled_with_the_documented_requests()
    {
        await using var server = await FakeServer.StartAsync(app =>
        {
            app.MapGet("/api/v3/repos/acme/manifests/pulls", () => Results.Json(new JsonArray(PullJson(7, "deploy/prod/shortlink-abc", "old"))));
            app.MapPost("/api/v3/repos/acme/manifests/pulls", () => Results.Json(PullJson(8, "deploy/prod/shortlink-def", "new"), statusCode: 201));
            app.MapMethods("/api/v3/repos/acme/manifests/pulls/7", ["PATCH"], () => Results.Json(PullJson(7, "deploy/prod/shortlink-abc", "updated")));
            app.MapPost("/api/v3/repos/acme/manifests/issues/8/labels", () => Results.Json(new JsonArray(new JsonObject { ["name"] = "deploy" })));
        });
        using var client = new GitHubClient("ghp_secret", server.Url.ToString());

        var open = await client.ListOpenPullRequestsAsync(Repo, "main", CancellationToken.None);
        var created = await client.CreatePullRequestAsync(Repo, new NewPullRequest("deploy(prod): shortlink", "deploy/prod/shortlink-def", "main", "body"), CancellationToken.None);
        var updated = await client.UpdatePullRequestAsync(Repo, 7, new PullRequestUpdate("updated", "new body"), CancellationToken.None);
        await client.AddLabelsAsync(Repo, 8, ["deploy"], CancellationToken.None);

        Assert.Equal("deploy/prod/shortlink-abc", open.Single().Head.Ref);
        Assert.Equal(8, created.Number);
        Assert.Equal("updated", updated.Title);
        var requests = server.Requests;
        Assert.StartsWith("/api/v3/repos/acme/manifests/pulls?", requests[0].PathAndQuery);
        Assert.Contains("state=open", requests[0].PathAndQuery);
        Assert.Contains("base=main", requests[0].PathAndQuery);
        Assert.Contains("per_page=100", requests[0].PathAndQuery);
        Assert.All(requests, r =>
        {
            Assert.Equal("Bearer ghp_secret", r.Headers["Authorization"]);
            Assert.StartsWith("gitops-pipeline", r.Headers["User-Agent"]);
        });
        var create = JsonNode.Parse(requests[1].Body)!;
        Assert.Equal("deploy/prod/shortlink-def", create["head"]!.GetValue<string>());
        Assert.Equal("main", create["base"]!.GetValue<string>());
        Assert.Equal("""["deploy"]""", requests[3].Body);
    }

    [Fact]
    public async Task A_commit_status_is_posted_for_the_sha()
    {
        await using var server = await FakeServer.StartAsync(app =>
            app.MapPost("/api/v3/repos/acme/manifests/statuses/{sha}", () => Results.Json(new JsonObject { ["state"] = "success" }, statusCode: 201)));
        using var client = new GitHubClient("t", server.Url.ToString());

        await client.CreateCommitStatusAsync(Repo, "abc123", new NewCommitStatus(CommitState.Success, "tekton/pipeline", "Deploy succeeded", "https://dashboard/run/1"), CancellationToken.None);

        var body = JsonNode.Parse(server.Requests.Single().Body)!;
        Assert.Equal("/api/v3/repos/acme/manifests/statuses/abc123", server.Requests.Single().PathAndQuery);
        Assert.Equal("success", body["state"]!.GetValue<string>());
        Assert.Equal("tekton/pipeline", body["context"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_validation_failure_carries_githubs_message_and_errors()
    {
        await using var server = await FakeServer.StartAsync(app =>
            app.MapPost("/api/v3/repos/acme/manifests/pulls", () => Results.Json(new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = "No commits between main and deploy/x" }),
            }, statusCode: 422)));
        using var client = new GitHubClient("t", server.Url.ToString());

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            client.CreatePullRequestAsync(Repo, new NewPullRequest("t", "deploy/x", "main", "b"), CancellationToken.None));

        Assert.Equal("GitHub 422 for POST /repos/acme/manifests/pulls: Validation Failed: No commits between main and deploy/x.", error.Message);
    }

    [Fact]
    public async Task A_rejected_token_says_which_parameter_to_check_and_not_its_value()
    {
        await using var server = await FakeServer.StartAsync(app =>
            app.MapGet("/api/v3/repos/acme/manifests/pulls", () => Results.Json(new JsonObject { ["message"] = "Bad credentials" }, statusCode: 401)));
        using var client = new GitHubClient("ghp_wrong", server.Url.ToString());

        var error = await Assert.ThrowsAsync<PipelineException>(() => client.ListOpenPullRequestsAsync(Repo, null, CancellationToken.None));

        Assert.Contains("Check --github-token", error.Message);
        Assert.DoesNotContain("ghp_wrong", error.Message);
    }

    [Theory]
    [InlineData("https://ghe.example", "https://ghe.example/api/v3/")]
    [InlineData("https://ghe.example/api/v3", "https://ghe.example/api/v3/")]
    [InlineData("https://ghe.example/api/v3/", "https://ghe.example/api/v3/")]
    [InlineData("https://api.github.com", "https://api.github.com/")]
    [InlineData("https://github.com", "https://api.github.com/")]
    public void The_api_url_accepts_a_github_enterprise_host_with_or_without_its_api_path(string apiUrl, string expected)
    {
        using var client = new GitHubClient("t", apiUrl);

        Assert.Equal(expected, client.ApiUrl.ToString());
    }

    [Theory]
    [InlineData("ghe.example/api/v3")]
    [InlineData("https://ghe.example/github/api")]
    public void An_api_url_octokit_would_misread_is_refused_with_the_forms_it_takes(string apiUrl)
    {
        var error = Assert.Throws<PipelineException>(() => new GitHubClient("t", apiUrl));

        Assert.Contains("--github-api-url", error.Message);
        Assert.Contains("https://host/api/v3", error.Message);
    }

    [Fact]
    public async Task A_github_that_does_not_answer_is_given_up_after_the_timeout()
    {
        await using var server = await FakeServer.StartAsync(app =>
            app.MapGet("/api/v3/repos/acme/manifests/pulls", async () => { await Task.Delay(TimeSpan.FromSeconds(30)); return Results.Ok(); }));
        using var client = new GitHubClient("t", server.Url.ToString(), TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<PipelineException>(() => client.ListOpenPullRequestsAsync(Repo, null, CancellationToken.None));

        Assert.Contains("did not answer GET /repos/acme/manifests/pulls", error.Message);
    }

    [Theory]
    [InlineData("acme/manifests")]
    [InlineData("https://github.com/acme/manifests.git")]
    [InlineData("git@github.com:acme/manifests.git")]
    public void Repositories_parse_from_the_forms_users_write(string text)
    {
        Assert.Equal(Repo, GitHubRepository.Parse(text));
    }
}
