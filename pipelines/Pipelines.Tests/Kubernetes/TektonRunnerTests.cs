using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Kubernetes;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Kubernetes;

/// <summary>Against a fake API server that creates PipelineRuns and moves them through Tekton's status shapes.</summary>
public class TektonRunnerTests
{
    private const string Runs = "/apis/tekton.dev/v1/namespaces/ci/pipelineruns";

    private static JsonObject Condition(string status, string reason, string message = "") =>
        new() { ["type"] = "Succeeded", ["status"] = status, ["reason"] = reason, ["message"] = message };

    /// <summary>A fake Tekton: each GET of the run advances it one state; the TaskRuns follow.</summary>
    private sealed class FakeTekton
    {
        public int Polls;
        public JsonObject? Created;
        public string? CancelPatch;
        public required Func<int, (JsonObject Run, JsonObject[] TaskRuns)> State { get; init; }

        public Task<FakeServer> StartAsync() => FakeServer.StartAsync(app =>
        {
            app.MapPost(Runs, async (HttpRequest request) =>
            {
                Created = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!.AsObject();
                var answer = Created.DeepClone().AsObject();
                answer["metadata"]!["name"] = "shortlink-x7k2p";
                return Results.Text(answer.ToJsonString(), "application/json", statusCode: 201);
            });
            app.MapGet(Runs + "/shortlink-x7k2p", () => Results.Text(State(Polls++).Run.ToJsonString(), "application/json"));
            app.MapMethods(Runs + "/shortlink-x7k2p", ["PATCH"], async (HttpRequest request) =>
            {
                CancelPatch = await new StreamReader(request.Body).ReadToEndAsync();
                return Results.Text(State(Polls).Run.ToJsonString(), "application/json");
            });
            app.MapGet("/apis/tekton.dev/v1/namespaces/ci/taskruns/{name}", (string name) =>
                State(Math.Max(0, Polls - 1)).TaskRuns.FirstOrDefault(t => t["metadata"]!["name"]!.GetValue<string>() == name) is { } taskRun
                    ? Results.Text(taskRun.ToJsonString(), "application/json")
                    : Results.NotFound());
            app.MapGet("/api/v1/namespaces/ci/pods/{pod}/log", (string pod, string container) => Results.Text($"hello from {pod} {container}\n"));
        });
    }

    private static JsonObject Run(JsonObject condition, params string[] taskRuns) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "shortlink-x7k2p" },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(condition),
            ["childReferences"] = new JsonArray(taskRuns.Select(t => (JsonNode)new JsonObject
            {
                ["apiVersion"] = "tekton.dev/v1",
                ["kind"] = "TaskRun",
                ["name"] = $"shortlink-x7k2p-{t}",
                ["pipelineTaskName"] = t,
            }).ToArray()),
        },
    };

    private static JsonObject TaskRun(string task, JsonObject condition) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = $"shortlink-x7k2p-{task}" },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(condition),
            ["podName"] = $"shortlink-x7k2p-{task}-pod",
            ["steps"] = new JsonArray(new JsonObject { ["name"] = "build", ["container"] = "step-build" }),
        },
    };

    // The document as ITektonRun passes it (CiGenerator.PipelineRun writes it; TektonTests compares it with the TriggerTemplate's).
    private static TektonRunOptions Options => new("ci", new JsonObject
    {
        ["apiVersion"] = "tekton.dev/v1",
        ["kind"] = "PipelineRun",
        ["metadata"] = new JsonObject { ["generateName"] = "shortlink-" },
        ["spec"] = new JsonObject
        {
            ["pipelineRef"] = new JsonObject { ["name"] = "shortlink" },
            ["params"] = new JsonArray(new JsonObject { ["name"] = "git-revision", ["value"] = "abc123" }),
            ["taskRunTemplate"] = new JsonObject
            {
                ["serviceAccountName"] = "pipeline-runner",
                ["podTemplate"] = new JsonObject { ["securityContext"] = new JsonObject { ["fsGroup"] = 1654, ["fsGroupChangePolicy"] = "OnRootMismatch" } },
            },
        },
    })
    {
        PollInterval = TimeSpan.FromMilliseconds(10),
    };

    [Fact]
    public async Task A_run_is_created_followed_task_by_task_and_succeeds()
    {
        var tekton = new FakeTekton
        {
            State = poll => poll switch
            {
                0 => (Run(Condition("Unknown", "Running"), "test"), [TaskRun("test", Condition("Unknown", "Running"))]),
                1 => (Run(Condition("Unknown", "Running"), "test", "containerize"),
                      [TaskRun("test", Condition("True", "Succeeded")), TaskRun("containerize", Condition("Unknown", "Running"))]),
                _ => (Run(Condition("True", "Succeeded", "Tasks Completed: 2"), "test", "containerize"),
                      [TaskRun("test", Condition("True", "Succeeded")), TaskRun("containerize", Condition("True", "Succeeded"))]),
            },
        };
        await using var server = await tekton.StartAsync();
        var log = new MemoryLog();

        var result = await new TektonRunner(new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", Source = "test" }), log)
            .RunAsync(Options, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("shortlink-", tekton.Created!["metadata"]!["generateName"]!.GetValue<string>());
        Assert.Equal("shortlink", tekton.Created["spec"]!["pipelineRef"]!["name"]!.GetValue<string>());
        Assert.Equal("pipeline-runner", tekton.Created["spec"]!["taskRunTemplate"]!["serviceAccountName"]!.GetValue<string>());
        // The document is created as given, in the namespace and labelled as the toolkit's.
        Assert.Equal(1654, tekton.Created["spec"]!["taskRunTemplate"]!["podTemplate"]!["securityContext"]!["fsGroup"]!.GetValue<int>());
        Assert.Equal("ci", tekton.Created["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("shortlink", tekton.Created["metadata"]!["labels"]!["tekton.dev/pipeline"]!.GetValue<string>());
        Assert.Contains("test: Running", log.Text);
        Assert.Contains("test: Succeeded", log.Text);
        Assert.Contains("[test/step-build] hello from shortlink-x7k2p-test-pod step-build", log.Text);
        Assert.Equal(1, log.Lines.Count(l => l.Message.StartsWith("[test/step-build]")));
    }

    [Fact]
    public async Task A_failed_run_fails_with_tektons_reason_and_the_failed_task()
    {
        var tekton = new FakeTekton
        {
            State = _ => (Run(Condition("False", "Failed", "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 3"), "test", "scan"),
                          [TaskRun("test", Condition("True", "Succeeded")), TaskRun("scan", Condition("False", "Failed", "\"step-build\" exited with code 1"))]),
        };
        await using var server = await tekton.StartAsync();

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new TektonRunner(new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", Source = "test" }), new MemoryLog()).RunAsync(Options, CancellationToken.None));

        Assert.Contains("PipelineRun ci/shortlink-x7k2p Failed: Tasks Completed: 2 (Failed: 1", error.Message);
        Assert.Contains("scan Failed", error.Message);
    }

    [Fact]
    public async Task Cancelling_the_build_cancels_the_pipeline_run_in_the_cluster()
    {
        var tekton = new FakeTekton { State = _ => (Run(Condition("Unknown", "Running"), "test"), [TaskRun("test", Condition("Unknown", "Running"))]) };
        await using var server = await tekton.StartAsync();
        using var cancellation = new CancellationTokenSource();
        var runner = new TektonRunner(new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", Source = "test" }), new MemoryLog());

        var run = runner.RunAsync(Options, cancellation.Token);
        while (tekton.Polls < 2) await Task.Delay(10);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("""{"spec":{"status":"Cancelled"}}""", tekton.CancelPatch);
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_cancelled_and_reported()
    {
        var tekton = new FakeTekton { State = _ => (Run(Condition("Unknown", "Running")), []) };
        await using var server = await tekton.StartAsync();

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new TektonRunner(new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", Source = "test" }), new MemoryLog())
                .RunAsync(Options with { Timeout = TimeSpan.FromMilliseconds(150) }, CancellationToken.None));

        Assert.Contains("did not finish within 150ms; it was cancelled", error.Message);
        Assert.NotNull(tekton.CancelPatch);
    }

    [Theory]
    [InlineData("https://github.com/acme/shortlink.git", true)]
    [InlineData("git@github.com:acme/shortlink.git", true)]
    [InlineData("ssh://git@github.com/acme/shortlink.git", true)]
    [InlineData("https://x-access-token:ghp_secret@github.com/acme/shortlink.git", false)]
    [InlineData("file:///home/me/shortlink", false)]
    [InlineData("/home/me/shortlink", false)]
    public void Only_a_url_the_cluster_can_clone_without_embedded_credentials_is_accepted(string url, bool accepted)
    {
        if (accepted) Assert.Equal(url, TektonRunner.CloneUrl(url));
        else
        {
            var error = Assert.Throws<PipelineException>(() => TektonRunner.CloneUrl(url));
            Assert.DoesNotContain("ghp_secret", error.Message);
        }
    }
}
