using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Analysis;
using Pipelines.Kubernetes;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Analysis;

/// <summary>Against a fake API server serving a Deployment as the deployment controller writes it, one state per request.</summary>
public class RolloutWatcherTests
{
    private const string Path = "/apis/apps/v1/namespaces/shortlink/deployments/shortlink";
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private static JsonObject Deployment(long generation, long observed, int desired, int replicas, int updated, int available,
        string progressingReason = "ReplicaSetUpdated", string image = "registry.example/shortlink:1.2.0@" + Digest) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject
        {
            ["name"] = "shortlink", ["namespace"] = "shortlink", ["generation"] = generation,
            ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = "7" },
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = desired,
            ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "shortlink", ["image"] = image }) } },
        },
        ["status"] = new JsonObject
        {
            ["observedGeneration"] = observed,
            ["replicas"] = replicas,
            ["updatedReplicas"] = updated,
            ["availableReplicas"] = available,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable" },
                new JsonObject
                {
                    ["type"] = "Progressing",
                    ["status"] = progressingReason == "ProgressDeadlineExceeded" ? "False" : "True",
                    ["reason"] = progressingReason,
                    ["message"] = progressingReason == "ProgressDeadlineExceeded" ? "ReplicaSet \"shortlink-7d9c\" has timed out progressing." : "ReplicaSet \"shortlink-7d9c\" is progressing.",
                }),
        },
    };

    private static Task<FakeServer> ServeAsync(params JsonObject[] states)
    {
        var served = 0;
        return FakeServer.StartAsync(app =>
            app.MapGet(Path, () => Results.Text(states[Math.Min(served++, states.Length - 1)].ToJsonString(), "application/json")));
    }

    private static RolloutWatcher Watcher(FakeServer server, MemoryLog? log = null) =>
        new(new KubernetesDeploymentStatusSource(new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "fake-token", Source = "test" })), log ?? new MemoryLog());

    private static RolloutWaitOptions Options => new("shortlink", "shortlink") { PollInterval = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task The_rollout_is_done_once_the_new_generation_is_observed_and_every_replica_is_updated_and_available()
    {
        await using var server = await ServeAsync(
            Deployment(8, 7, 3, 3, 0, 3),                  // spec update not observed yet
            Deployment(8, 8, 3, 4, 1, 3),                  // 1 of 3 updated
            Deployment(8, 8, 3, 4, 3, 3),                  // old replica pending termination
            Deployment(8, 8, 3, 3, 3, 2),                  // 2 of 3 available
            Deployment(8, 8, 3, 3, 3, 3, "NewReplicaSetAvailable"));
        var log = new MemoryLog();

        var state = await Watcher(server, log).WaitAsync(Options with { ExpectedDigest = Digest }, CancellationToken.None);

        Assert.Equal(RolloutPhase.Done, state.Phase);
        Assert.Contains("3 replicas updated and available, revision 7", state.Message);
        Assert.Equal(5, server.Requests.Count);
        Assert.Equal("Bearer fake-token", server.Requests[0].Headers["Authorization"]);
        var said = log.Text;
        Assert.Contains("waiting for the deployment spec update to be observed", said);
        Assert.Contains("1 of 3 new replicas updated", said);
        Assert.Contains("1 old replicas pending termination", said);
        Assert.Contains("2 of 3 updated replicas available", said);
    }

    [Fact]
    public async Task A_progress_deadline_exceeded_fails_the_rollout_with_kubernetes_message()
    {
        await using var server = await ServeAsync(
            Deployment(2, 2, 3, 4, 1, 3),
            Deployment(2, 2, 3, 4, 1, 3, "ProgressDeadlineExceeded"));

        var state = await Watcher(server).WaitAsync(Options, CancellationToken.None);

        Assert.Equal(RolloutPhase.Failed, state.Phase);
        Assert.Contains("Progressing=False (ProgressDeadlineExceeded): ReplicaSet \"shortlink-7d9c\" has timed out progressing.", state.Message);
    }

    [Fact]
    public async Task A_template_without_the_deployed_digest_is_not_judged_done()
    {
        await using var server = await ServeAsync(
            Deployment(3, 3, 3, 3, 3, 3, "NewReplicaSetAvailable", image: "registry.example/shortlink:1.1.0@sha256:2222222222222222222222222222222222222222222222222222222222222222"));

        var state = await Watcher(server).WaitAsync(Options with { ExpectedDigest = Digest, Timeout = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);

        Assert.Equal(RolloutPhase.Waiting, state.Phase);
        Assert.Contains("did not finish rolling out within 200ms", state.Message);
        Assert.Contains("does not run " + Digest, state.Message);
    }

    [Fact]
    public async Task A_missing_deployment_names_the_parameters_to_fix()
    {
        await using var server = await FakeServer.StartAsync(app => app.MapGet(Path, () => Results.NotFound()));

        var error = await Assert.ThrowsAsync<PipelineException>(() => Watcher(server).WaitAsync(Options, CancellationToken.None));

        Assert.Contains("Deployment shortlink/shortlink does not exist", error.Message);
        Assert.Contains("--analysis-deployment", error.Message);
    }

    [Fact]
    public async Task A_failed_rollout_is_a_breach_that_rolls_back_before_any_check_after_the_query_is_validated()
    {
        await using var server = await ServeAsync(Deployment(2, 2, 3, 4, 1, 3, "ProgressDeadlineExceeded"));
        await using var prometheus = await FakeServer.StartAsync(app => app.Run(context =>
            context.Response.WriteAsync("""{"status":"success","data":{"resultType":"vector","result":[]}}""")));
        var source = new KubernetesDeploymentStatusSource(new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", Source = "test" }));
        using var client = new PrometheusClient(prometheus.Url);
        var rolledBack = false;
        var spec = new AnalysisSpec { Window = TimeSpan.FromSeconds(1), Interval = TimeSpan.FromSeconds(1), Objectives = [new Objective("up", "up", Comparison.AtLeast, 1)] };

        var report = await new ReleaseAnalyzer(client, new MemoryLog(), source).AnalyzeAsync(
            new AnalysisRequest("shortlink", "staging", "shortlink", spec) { Rollout = Options },
            new ReleaseActions { Rollback = _ => { rolledBack = true; return Task.FromResult(new RollbackOutcome(true, "rollback commit")); } },
            CancellationToken.None);

        Assert.Equal(AnalysisVerdict.Breach, report.Verdict);
        Assert.Contains("ProgressDeadlineExceeded", report.Message);
        Assert.True(rolledBack);
        Assert.Single(prometheus.Requests); // the validation of the one query, before the rollout wait; no check ran
    }
}
