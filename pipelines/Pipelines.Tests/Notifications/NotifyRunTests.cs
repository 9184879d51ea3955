using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Components;
using Pipelines.Containers;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;

namespace Pipelines.Tests.Notifications;

/// <summary>A whole run with <c>--notify</c>: the engine notifies after the last target, and never changes the outcome.</summary>
public sealed class NotifyRunTests : IDisposable
{
    private const string Token = "tok-5f1e2d3c4b5a";
    private const string SigningSecret = "SECd4c3b2a1";

    /// <summary>Stands in for Deploy: records an image and publishes the commit, as the real one does; or fails.</summary>
    private sealed class DeployingBuild(bool fail = false) : PipelineBuild, INotify
    {
        string IServices.Name => "service";
        IReadOnlyList<Service> IServices.Services => [new("api")];

        public Target Deploy => _ => _
            .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
            .Executes(ctx =>
            {
                if (fail) throw new PipelineException("the manifests repository refused the push");
                ServiceImages.Record(ctx.State, "api", new BuiltImage("registry.example.com/myorg/api", ["v1.3.0"], "sha256:" + new string('b', 64), "sha256:id"));
                ctx.Publish("DEPLOY_COMMIT", "89abcdef89abcdef89abcdef89abcdef89abcdef");
                ctx.Publish("DEPLOY_ENVIRONMENT", "prod");
            });
    }

    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_deploy_is_announced_and_an_endpoint_that_keeps_failing_leaves_the_run_green_with_a_warning_and_no_token_anywhere()
    {
        await using var chat = await FakeServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        await using var broken = await FakeServer.StartAsync(app => app.Run(context =>
        {
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = "0";
            return Task.CompletedTask;
        }));
        var good = new Uri(chat.Url, $"/robot/send?access_token={Token}") + $"#secret={SigningSecret}";
        var bad = new Uri(broken.Url, $"/robot/send?access_token={Token}x").ToString();

        var exit = await _harness.RunAsync(new DeployingBuild(), "Deploy", "--notify", good, "--notify", bad, "--notify-format", "dingtalk");

        Assert.True(exit == BuildRunner.Success, _harness.Text);
        var body = JsonNode.Parse(chat.Requests.Single().Body)!;
        Assert.StartsWith("prod-service-v1.3.0 deployed ✅ | Environment: prod | Image: registry.example.com/myorg/api:v1.3.0@sha256:bbbb", (string?)body["markdown"]!["title"]);
        Assert.Contains("Manifests commit: 89abcdef89abcdef89abcdef89abcdef89abcdef", (string?)body["markdown"]!["text"]);
        Assert.Equal(3, broken.Requests.Count);
        Assert.Matches($@"(?m)^Warning +Notification to the dingtalk webhook on {broken.Url.Authority} not delivered after 3 attempts: HTTP 503", _harness.Text);
        Assert.DoesNotContain(Token, _harness.Text);
        Assert.DoesNotContain(SigningSecret, _harness.Text);
        foreach (var file in Directory.GetFiles(_harness.Root, "*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain(Token, text);
            Assert.DoesNotContain(SigningSecret, text);
        }
    }

    [Fact]
    public async Task A_failed_target_is_announced_with_its_reason_and_the_run_still_fails_for_that_reason_only()
    {
        await using var chat = await FakeServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("ok")));

        var exit = await _harness.RunAsync(new DeployingBuild(fail: true), "Deploy", "--notify", new Uri(chat.Url, "/hook").ToString());

        Assert.Equal(BuildRunner.Failure, exit);
        var body = JsonNode.Parse(chat.Requests.Single().Body)!;
        Assert.Equal("Deploy failed", (string?)body["event"]);
        Assert.False((bool)body["succeeded"]!);
        Assert.Equal("the manifests repository refused the push", (string?)body["details"]![0]);
        Assert.DoesNotContain("Warning", _harness.Text);
    }

    [Fact]
    public async Task A_failed_deploy_after_a_good_one_announces_no_commit_of_the_earlier_run()
    {
        await using var chat = await FakeServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("ok")));
        var hook = new Uri(chat.Url, "/hook").ToString();
        Assert.Equal(BuildRunner.Success, await _harness.RunAsync(new DeployingBuild(), "Deploy", "--notify", hook));

        // The state file keeps the first run's DEPLOY_COMMIT and DEPLOY_ENVIRONMENT; this run published neither.
        var exit = await _harness.RunAsync(new DeployingBuild(fail: true), "Deploy", "--notify", hook);

        Assert.Equal(BuildRunner.Failure, exit);
        var body = JsonNode.Parse(chat.Requests[^1].Body)!;
        Assert.Equal("Deploy failed", (string?)body["event"]);
        Assert.Null(body["manifestsCommit"]);
        Assert.NotEqual("prod", (string?)body["environment"]);
    }

    [Fact]
    public async Task A_run_with_nothing_to_announce_posts_nothing()
    {
        await using var chat = await FakeServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("ok")));

        var exit = await _harness.RunAsync(new DeployingBuild(), "Deploy", "--notify", new Uri(chat.Url, "/hook").ToString(), "--skip", "Deploy");

        Assert.Equal(BuildRunner.Success, exit);
        Assert.Empty(chat.Requests);
    }

    [Fact]
    public async Task NotifyFailure_takes_several_failed_targets_as_one_comma_separated_value_and_runs_none_of_them()
    {
        await using var chat = await FakeServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("ok")));

        var exit = await _harness.RunAsync(new DeployingBuild(), "NotifyFailure", "--failed-target", "Test,Deploy", "--notify", new Uri(chat.Url, "/hook").ToString());

        Assert.True(exit == BuildRunner.Success, _harness.Text);
        Assert.Equal("Test, Deploy failed", (string?)JsonNode.Parse(chat.Requests.Single().Body)!["event"]);
        Assert.DoesNotContain("═══ Deploy", _harness.Text);
    }

    [Fact]
    public async Task NotifyFailure_tells_the_chat_that_an_earlier_jobs_target_failed_and_runs_nothing_else()
    {
        await using var chat = await FakeServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("ok")));

        var exit = await _harness.RunAsync(new DeployingBuild(), "NotifyFailure", "--failed-target", "Test", "--notify", new Uri(chat.Url, "/hook").ToString());

        // The notice job itself succeeds: the failure it tells of was the test job's, which GitHub already shows red.
        Assert.True(exit == BuildRunner.Success, _harness.Text);
        var body = JsonNode.Parse(chat.Requests.Single().Body)!;
        Assert.Equal("Test failed", (string?)body["event"]);
        Assert.False((bool)body["succeeded"]!);
        Assert.DoesNotContain("═══ Deploy", _harness.Text);
    }

    [Fact]
    public async Task NotifyFailure_without_the_failed_target_is_refused_naming_the_parameter()
    {
        await using var chat = await FakeServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("ok")));

        var exit = await _harness.RunAsync(new DeployingBuild(), "NotifyFailure", "--notify", new Uri(chat.Url, "/hook").ToString());

        Assert.NotEqual(BuildRunner.Success, exit);
        Assert.Contains("pass --failed-target <target>, e.g. ./build.sh NotifyFailure --failed-target Test", _harness.Text);
    }
}
