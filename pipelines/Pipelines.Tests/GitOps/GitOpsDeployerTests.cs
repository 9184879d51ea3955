using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.GitHub;
using Pipelines.GitOps;
using Pipelines.Kubernetes;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitOps;

/// <summary>Deploy after the gate: real bare repositories, a fake GitHub, a fake Flux.</summary>
public sealed class GitOpsDeployerTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string DigestA = "sha256:" + new string('a', 64);
    private static readonly string DigestB = "sha256:" + new string('b', 64);

    private static DeployRequest Request(string environment, string digest, string tag = "1.1.0") =>
        new(environment, "shortlink", DeployRequest.DefaultPath("shortlink", environment),
            new ImageUpdate("shortlink", "127.0.0.1:5000/shortlink", tag, digest), "feedface", "local:test");

    private static DeployClearance Clearance(string digest) =>
        new(ImageReference.Parse("127.0.0.1:5000/shortlink@" + digest), "verified: 1 of 1 signature(s)", "passed (0 critical, 0 high)");

    /// <summary>A fake GitHub that keeps pull requests in memory, as the REST API would.</summary>
    internal static Task<FakeServer> FakeGitHub(List<JsonObject> pulls) => FakeServer.StartAsync(app =>
    {
        app.MapGet("/api/v3/repos/acme/manifests/pulls", () => Results.Json(new JsonArray(pulls.Select(p => (JsonNode)p.DeepClone()).ToArray())));
        app.MapPost("/api/v3/repos/acme/manifests/pulls", async (HttpRequest request) =>
        {
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            var pull = new JsonObject
            {
                ["number"] = pulls.Count + 1,
                ["html_url"] = $"https://github.com/acme/manifests/pull/{pulls.Count + 1}",
                ["state"] = "open",
                ["title"] = body["title"]!.GetValue<string>(),
                ["body"] = body["body"]!.GetValue<string>(),
                ["head"] = new JsonObject { ["ref"] = body["head"]!.GetValue<string>(), ["sha"] = "x" },
                ["base"] = new JsonObject { ["ref"] = body["base"]!.GetValue<string>(), ["sha"] = "y" },
            };
            pulls.Add(pull);
            return Results.Json(pull, statusCode: 201);
        });
        app.MapMethods("/api/v3/repos/acme/manifests/pulls/{number:int}", ["PATCH"], async (int number, HttpRequest request) =>
        {
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            var pull = pulls[number - 1];
            pull["title"] = body["title"]!.GetValue<string>();
            pull["body"] = body["body"]!.GetValue<string>();
            return Results.Json(pull);
        });
        app.MapPost("/api/v3/repos/acme/manifests/issues/{number:int}/labels", () => Results.Json(new JsonArray(new JsonObject { ["name"] = "deploy" })));
    });

    [Fact]
    public async Task A_pull_request_environment_gets_a_deploy_branch_and_one_labelled_pull_request_that_later_deploys_update()
    {
        using var manifests = await BareManifests.CreateAsync();
        var pulls = new List<JsonObject>();
        await using var github = await FakeGitHub(pulls);
        using var client = new GitHubClient("ghp_test", github.Url.ToString());
        var settings = new PullRequestSettings(client, new GitHubRepository("acme", "manifests"), "main");
        var deployer = new GitOpsDeployer(manifests.Repository(), manifests.Log);
        var mainBefore = await manifests.HeadAsync();

        var first = await deployer.DeployAsync(Request("prod", DigestA), DeployMode.PullRequest, Clearance(DigestA), settings, null, None);
        var second = await deployer.DeployAsync(Request("prod", DigestB, "1.2.0"), DeployMode.PullRequest, Clearance(DigestB), settings, null, None);

        Assert.Equal(mainBefore, await manifests.HeadAsync());
        var branch = "deploy/prod/shortlink-" + new string('a', 12);
        Assert.Equal(branch, first.Revision.Branch);
        Assert.Equal(branch, second.Revision.Branch);
        Assert.Contains(DigestB, await manifests.ShowAsync("apps/shortlink/overlays/prod/kustomization.yaml", branch));
        Assert.Single(pulls);
        Assert.Equal(1, second.PullRequest!.Number);
        Assert.Equal("deploy(prod): shortlink 1.2.0@bbbbbbbbbbbb", pulls[0]["title"]!.GetValue<string>());
        var body = pulls[0]["body"]!.GetValue<string>();
        Assert.Contains(DigestB, body);
        Assert.Contains("passed (0 critical, 0 high)", body);
        Assert.Contains("verified: 1 of 1 signature(s)", body);
        Assert.Contains("feedface", body);
        Assert.Single(github.Requests, r => r.Method == "POST" && r.PathAndQuery.EndsWith("/labels"));
        Assert.Single(github.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task A_pull_request_environment_without_a_github_token_is_refused_before_anything_is_pushed()
    {
        using var manifests = await BareManifests.CreateAsync();
        var before = await manifests.GitAsync("for-each-ref");

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new GitOpsDeployer(manifests.Repository(), manifests.Log).DeployAsync(Request("prod", DigestA), DeployMode.PullRequest, Clearance(DigestA), null, null, None));

        Assert.Contains("pass --github-token", error.Message);
        Assert.Equal(before, await manifests.GitAsync("for-each-ref"));
    }

    [Fact]
    public async Task A_direct_deploy_pokes_the_receiver_with_the_pushed_commit_and_waits_until_flux_applied_it()
    {
        using var manifests = await BareManifests.CreateAsync();
        string? poked = null;
        await using var receiver = await FakeServer.StartAsync(app =>
            app.MapPost("/hook/abc", async (HttpRequest request) =>
            {
                poked = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!["after"]!.GetValue<string>();
                return Results.Ok();
            }));
        await using var kubernetes = await FakeServer.StartAsync(app =>
            app.MapGet("/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps", () => Results.Json(new JsonObject
            {
                ["metadata"] = new JsonObject { ["generation"] = 1 },
                ["status"] = new JsonObject
                {
                    ["observedGeneration"] = 1,
                    ["lastAppliedRevision"] = poked is null ? "main@sha1:" + new string('0', 40) : "main@sha1:" + poked,
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = poked is null ? "Unknown" : "True", ["reason"] = "ReconciliationSucceeded" }),
                },
            })));
        var log = new MemoryLog();
        var flux = new FluxSettings
        {
            Receiver = (new Uri(receiver.Url, "/hook/abc"), "token", FluxReceiverType.GenericHmac),
            Waiter = new FluxWaiter(new KubernetesClient(new KubeEndpoint { Server = kubernetes.Url, Token = "t", Source = "test" }), log),
            Kustomization = ("flux-system", "apps"),
            Timeout = TimeSpan.FromSeconds(30),
        };

        var outcome = await new GitOpsDeployer(manifests.Repository(), log).DeployAsync(Request("dev", DigestA), DeployMode.Direct, Clearance(DigestA), null, flux, None);

        Assert.Equal(await manifests.HeadAsync(), outcome.Revision.Commit);
        Assert.Equal(outcome.Revision.Commit, poked);
        Assert.Equal("main@sha1:" + outcome.Revision.Commit, outcome.Flux!.Revision);
        Assert.Contains("Flux applied", outcome.Describe());
    }

    [Fact]
    public async Task A_receiver_that_cannot_be_poked_leaves_the_deploy_succeeded_with_a_warning_for_the_summary()
    {
        using var manifests = await BareManifests.CreateAsync();
        var log = new MemoryLog();
        var unreachable = new Uri($"http://127.0.0.1:{FreePort.OnLoopback()}/hook/abc");
        var flux = new FluxSettings { Receiver = (unreachable, "token", FluxReceiverType.GenericHmac) };

        var outcome = await new GitOpsDeployer(manifests.Repository(), log).DeployAsync(Request("dev", DigestA), DeployMode.Direct, Clearance(DigestA), null, flux, None);

        Assert.Equal(await manifests.HeadAsync(), outcome.Revision.Commit);
        var warning = Assert.Single(outcome.Warnings);
        Assert.Contains("The Flux receiver at", warning);
        Assert.Contains($"Flux applies {outcome.Revision.Commit} at its next interval instead.", warning);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message == warning);
    }

    [Fact]
    public async Task A_flux_wait_that_cannot_reach_the_API_after_the_push_says_the_commit_stays_and_flux_applies_it()
    {
        using var manifests = await BareManifests.CreateAsync();
        var log = new MemoryLog();
        var unreachable = new Uri($"http://127.0.0.1:{FreePort.OnLoopback()}");
        var flux = new FluxSettings
        {
            Waiter = new FluxWaiter(new KubernetesClient(new KubeEndpoint { Server = unreachable, Token = "t", Source = "test" }), log),
            Kustomization = ("flux-system", "apps"),
            Timeout = TimeSpan.FromSeconds(2),
        };

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new GitOpsDeployer(manifests.Repository(), log).DeployAsync(Request("dev", DigestA), DeployMode.Direct, Clearance(DigestA), null, flux, None));

        var head = await manifests.HeadAsync();
        Assert.Contains($"The deploy commit {head} is pushed to main and stays: Flux applies it", error.Message);
        Assert.Contains("Do not deploy again", error.Message);
        Assert.Contains("Rollback --environment dev", error.Message);
    }

    [Fact]
    public async Task A_deploy_stopped_while_waiting_for_flux_reports_its_landed_commit_as_deployed()
    {
        using var manifests = await BareManifests.CreateAsync();
        var asked = new TaskCompletionSource();
        // A Flux that never gets to the commit: the run is stopped while it waits.
        await using var kubernetes = await FakeServer.StartAsync(app =>
            app.MapGet("/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps", () =>
            {
                asked.TrySetResult();
                return Results.Json(new JsonObject
                {
                    ["metadata"] = new JsonObject { ["generation"] = 1 },
                    ["status"] = new JsonObject { ["observedGeneration"] = 1, ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "Unknown", ["reason"] = "Progressing" }) },
                });
            }));
        var log = new MemoryLog();
        var flux = new FluxSettings
        {
            Waiter = new FluxWaiter(new KubernetesClient(new KubeEndpoint { Server = kubernetes.Url, Token = "t", Source = "test" }), log),
            Kustomization = ("flux-system", "apps"),
            Timeout = TimeSpan.FromMinutes(1),
        };
        using var stop = new CancellationTokenSource();

        var deploy = new GitOpsDeployer(manifests.Repository(), log).DeployAsync(Request("dev", DigestA), DeployMode.Direct, Clearance(DigestA), null, flux, stop.Token);
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        stop.Cancel();
        var outcome = await deploy;

        Assert.True(outcome.Revision.Interrupted);
        Assert.Equal(await manifests.HeadAsync(), outcome.Revision.Commit);
        Assert.Contains("(interrupted after the push)", outcome.Describe());
    }

    [Fact]
    public async Task The_ancestry_check_tells_a_later_commit_from_an_unrelated_one()
    {
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        var first = (await repository.DeployAsync(Request("dev", DigestA))).Commit;
        var second = (await repository.DeployAsync(Request("dev", DigestB))).Commit;

        Assert.True(await repository.IsDescendantAsync(second, first));
        Assert.False(await repository.IsDescendantAsync(first, second));
    }
}
