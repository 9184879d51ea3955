using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Kubernetes;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Kubernetes;

/// <summary>Against a fake API server that serves a Kustomization shaped as kustomize-controller writes it.</summary>
public class FluxWaiterTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Older = "fedcba9876543210fedcba9876543210fedcba98";
    private const string Path = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps";

    private static JsonObject Kustomization(long generation, long observed, string? applied, string? attempted, params (string Type, string Status, string Reason, string Message)[] conditions) => new()
    {
        ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
        ["kind"] = "Kustomization",
        ["metadata"] = new JsonObject { ["name"] = "apps", ["namespace"] = "flux-system", ["generation"] = generation },
        ["spec"] = new JsonObject { ["interval"] = "10m", ["path"] = "./apps/shortlink/overlays/dev", ["prune"] = true },
        ["status"] = new JsonObject
        {
            ["observedGeneration"] = observed,
            ["lastAppliedRevision"] = applied,
            ["lastAttemptedRevision"] = attempted,
            ["conditions"] = new JsonArray(conditions.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = c.Type,
                ["status"] = c.Status,
                ["reason"] = c.Reason,
                ["message"] = c.Message,
                ["lastTransitionTime"] = "2026-11-22T01:00:00Z",
            }).ToArray()),
        },
    };

    /// <summary>Serves the given states one per request, repeating the last.</summary>
    private static Task<FakeServer> ServeAsync(params JsonObject[] states)
    {
        var served = 0;
        return FakeServer.StartAsync(app =>
        {
            app.MapGet(Path, () => Results.Text(states[Math.Min(served++, states.Length - 1)].ToJsonString(), "application/json"));
            app.MapMethods(Path, ["PATCH"], async (HttpRequest request) => Results.Text(states[0].ToJsonString(), "application/json"));
        });
    }

    private static FluxWaiter Waiter(FakeServer server, MemoryLog? log = null, Func<string, string, CancellationToken, Task<bool>>? isDescendant = null) =>
        new(new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "fake-token", Source = "test" }), log ?? new MemoryLog(), isDescendant);

    private static FluxWaitOptions Options => new("flux-system", "apps", Commit)
    {
        PollInterval = TimeSpan.FromMilliseconds(10),
        Timeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task Waiting_ends_when_flux_reports_the_commit_applied_and_ready()
    {
        await using var server = await ServeAsync(
            Kustomization(2, 2, $"main@sha1:{Older}", $"main@sha1:{Older}", ("Ready", "True", "ReconciliationSucceeded", $"Applied revision: main@sha1:{Older}")),
            Kustomization(2, 2, $"main@sha1:{Older}", $"main@sha1:{Commit}", ("Ready", "Unknown", "Progressing", "Reconciliation in progress"), ("Reconciling", "True", "Progressing", "Building manifests")),
            Kustomization(2, 2, $"main@sha1:{Commit}", $"main@sha1:{Commit}", ("Ready", "True", "ReconciliationSucceeded", $"Applied revision: main@sha1:{Commit}")));

        var applied = await Waiter(server).WaitAsync(Options, CancellationToken.None);

        Assert.Equal($"main@sha1:{Commit}", applied.Revision);
        Assert.Equal("Bearer fake-token", server.Requests[0].Headers["Authorization"]);
        Assert.True(server.Requests.Count >= 3);
    }

    [Fact]
    public async Task A_status_for_an_older_generation_does_not_count_as_applied()
    {
        await using var server = await ServeAsync(
            Kustomization(3, 2, $"main@sha1:{Commit}", $"main@sha1:{Commit}", ("Ready", "True", "ReconciliationSucceeded", "Applied")),
            Kustomization(3, 3, $"main@sha1:{Commit}", $"main@sha1:{Commit}", ("Ready", "True", "ReconciliationSucceeded", "Applied")));

        await Waiter(server).WaitAsync(Options, CancellationToken.None);

        Assert.Equal(2, server.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_later_commit_that_descends_from_ours_counts_as_applied()
    {
        await using var server = await ServeAsync(
            Kustomization(1, 1, $"refs/heads/main@sha1:{Older}", $"refs/heads/main@sha1:{Older}", ("Ready", "True", "ReconciliationSucceeded", "Applied")));

        var applied = await Waiter(server, isDescendant: (candidate, ancestor, _) => Task.FromResult(candidate == Older && ancestor == Commit))
            .WaitAsync(Options, CancellationToken.None);

        Assert.EndsWith(Older, applied.Revision);
    }

    [Fact]
    public async Task Stalled_fails_fast_with_flux_reason()
    {
        await using var server = await ServeAsync(
            Kustomization(1, 1, null, $"main@sha1:{Commit}", ("Ready", "False", "InvalidCELExpression", "healthCheckExprs invalid"), ("Stalled", "True", "InvalidCELExpression", "healthCheckExprs invalid")));

        var error = await Assert.ThrowsAsync<PipelineException>(() => Waiter(server).WaitAsync(Options, CancellationToken.None));

        Assert.Contains("Flux stalled on flux-system/apps: Stalled=True (InvalidCELExpression): healthCheckExprs invalid", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_terminal_failure_of_our_revision_fails_fast()
    {
        await using var server = await ServeAsync(
            Kustomization(1, 1, $"main@sha1:{Older}", $"main@sha1:{Commit}", ("Ready", "False", "HealthCheckFailed", "Deployment/shortlink/shortlink status: 'Failed'")));

        var error = await Assert.ThrowsAsync<PipelineException>(() => Waiter(server).WaitAsync(Options, CancellationToken.None));

        Assert.Contains("Flux could not apply main@sha1:" + Commit, error.Message);
        Assert.Contains("HealthCheckFailed", error.Message);
    }

    [Fact]
    public async Task Waiting_for_a_dependency_times_out_naming_the_last_condition()
    {
        await using var server = await ServeAsync(
            Kustomization(1, 1, $"main@sha1:{Older}", $"main@sha1:{Older}", ("Ready", "False", "DependencyNotReady", "dependency 'flux-system/infrastructure' is not ready")));

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            Waiter(server).WaitAsync(Options with { Timeout = TimeSpan.FromMilliseconds(200) }, CancellationToken.None));

        Assert.Contains("within 200ms", error.Message);
        Assert.Contains("Ready=False (DependencyNotReady): dependency 'flux-system/infrastructure' is not ready", error.Message);
    }

    [Fact]
    public async Task A_suspended_kustomization_says_how_to_resume_it()
    {
        var suspended = Kustomization(1, 1, null, null);
        suspended["spec"]!["suspend"] = true;
        await using var server = await ServeAsync(suspended);

        var error = await Assert.ThrowsAsync<PipelineException>(() => Waiter(server).WaitAsync(Options, CancellationToken.None));

        Assert.Contains("flux resume kustomization apps -n flux-system", error.Message);
    }

    [Fact]
    public async Task A_missing_kustomization_names_the_parameter_to_fix()
    {
        await using var server = await FakeServer.StartAsync(app => app.MapGet(Path, () => Results.NotFound()));

        var error = await Assert.ThrowsAsync<PipelineException>(() => Waiter(server).WaitAsync(Options, CancellationToken.None));

        Assert.Contains("--flux-kustomization", error.Message);
    }

    [Fact]
    public async Task Requesting_a_reconcile_merge_patches_the_annotation_flux_reconcile_sets()
    {
        await using var server = await ServeAsync(
            Kustomization(1, 1, $"main@sha1:{Commit}", $"main@sha1:{Commit}", ("Ready", "True", "ReconciliationSucceeded", "Applied")));

        await Waiter(server).WaitAsync(Options with { RequestReconcile = true }, CancellationToken.None);

        var patch = server.Requests.Single(r => r.Method == "PATCH");
        Assert.Equal("application/merge-patch+json; charset=utf-8", patch.Headers["Content-Type"]);
        Assert.NotNull(JsonNode.Parse(patch.Body)?["metadata"]?["annotations"]?["reconcile.fluxcd.io/requestedAt"]);
    }

    [Theory]
    [InlineData("main@sha1:" + Commit, Commit)]
    [InlineData("refs/heads/main@sha1:" + Commit, Commit)]
    [InlineData("sha1:" + Commit, Commit)]
    [InlineData("main/" + Commit, Commit)]
    [InlineData(null, null)]
    public void The_commit_is_read_from_every_revision_form_flux_writes(string? revision, string? commit)
    {
        Assert.Equal(commit, FluxKustomizationStatus.CommitOf(revision));
    }
}
