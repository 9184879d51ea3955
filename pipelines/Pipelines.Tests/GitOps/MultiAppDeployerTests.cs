using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.GitHub;
using Pipelines.GitOps;
using Pipelines.Oci;
using Pipelines.Tests.Support;
using static Pipelines.Tests.GitOps.MultiAppDeployTests;

namespace Pipelines.Tests.GitOps;

/// <summary>Several apps through the deployer (one pull request, one Flux poke) and rolled back together.</summary>
public sealed class MultiAppDeployerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static IReadOnlyList<DeployClearance> Clearances(DeployRequest request) =>
        request.Apps.Select(a => new DeployClearance(ImageReference.Parse($"{a.Image.Repository}@{a.Image.Digest}"),
            $"verified: {a.App} signature", $"passed ({a.App}: 0 critical)")).ToList();

    [Fact]
    public async Task A_pull_request_environment_gets_one_branch_and_one_pull_request_for_all_apps_that_a_later_deploy_of_the_same_apps_updates()
    {
        using var manifests = await TwoAppsAsync();
        var pulls = new List<JsonObject>();
        await using var github = await GitOpsDeployerTests.FakeGitHub(pulls);
        using var client = new GitHubClient("ghp_test", github.Url.ToString());
        var settings = new PullRequestSettings(client, new GitHubRepository("acme", "manifests"), "main");
        var deployer = new GitOpsDeployer(manifests.Repository(), manifests.Log);
        var mainBefore = await manifests.HeadAsync();
        var first = Both("prod", 1, 2);
        var second = Both("prod", 1, 3);

        var opened = await deployer.DeployAsync(first, DeployMode.PullRequest, Clearances(first), settings, null, None);
        var updated = await deployer.DeployAsync(second, DeployMode.PullRequest, Clearances(second), settings, null, None);

        var branch = first.PullRequestBranch();
        Assert.Matches("^deploy/prod/shortlink\\+worker-[0-9a-f]{12}$", branch);
        Assert.Equal(branch, Both("prod", 1, 2).PullRequestBranch());
        Assert.Equal(branch, DeployRequest.ForApps("prod", [Worker("prod", 2), Shortlink("prod", 1)]).PullRequestBranch());
        Assert.NotEqual(branch, second.PullRequestBranch());
        Assert.Equal(mainBefore, await manifests.HeadAsync());
        Assert.Equal(branch, opened.Revision.Branch);
        Assert.Equal(branch, updated.Revision.Branch);
        Assert.Equal($"{mainBefore}\n", await manifests.GitAsync("rev-parse", branch + "~2"));
        Assert.Contains($"digest: {ManifestsRepositoryTests.Digest(1)}", await manifests.ShowAsync("apps/shortlink/overlays/prod/kustomization.yaml", branch));
        Assert.Contains($"digest: {ManifestsRepositoryTests.Digest(3)}", await manifests.ShowAsync("apps/worker/overlays/prod/kustomization.yaml", branch));
        Assert.Equal(["apps/shortlink/overlays/prod/kustomization.yaml", "apps/worker/overlays/prod/kustomization.yaml"], opened.Revision.ChangedFiles);
        Assert.Equal(["worker"], updated.Revision.Apps);
        Assert.Single(pulls);
        Assert.Equal(1, updated.PullRequest!.Number);
        Assert.Equal($"deploy(prod): shortlink 1.4.0@{ManifestsRepositoryTests.Digest(1)[7..19]}, worker 2.0.0@{ManifestsRepositoryTests.Digest(3)[7..19]}", pulls[0]["title"]!.GetValue<string>());
        Assert.Equal(branch, pulls[0]["head"]!["ref"]!.GetValue<string>());
        var body = pulls[0]["body"]!.GetValue<string>();
        Assert.Contains($"| shortlink | `127.0.0.1:5000/shortlink:1.4.0` | `{ManifestsRepositoryTests.Digest(1)}` | `apps/shortlink/overlays/prod` | passed (shortlink: 0 critical) | verified: shortlink signature |", body);
        Assert.Contains($"| worker | `127.0.0.1:5000/worker:2.0.0` | `{ManifestsRepositoryTests.Digest(3)}` | `apps/worker/overlays/prod` | passed (worker: 0 critical) | verified: worker signature |", body);
        Assert.Contains("0123456789abcdef0123456789abcdef01234567", body);
        Assert.Single(github.Requests, r => r.Method == "POST" && r.PathAndQuery.EndsWith("/labels"));
        Assert.Single(github.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task A_single_app_deploy_does_not_take_over_the_pull_request_of_a_set_that_includes_it()
    {
        using var manifests = await TwoAppsAsync();
        var pulls = new List<JsonObject>();
        await using var github = await GitOpsDeployerTests.FakeGitHub(pulls);
        using var client = new GitHubClient("ghp_test", github.Url.ToString());
        var settings = new PullRequestSettings(client, new GitHubRepository("acme", "manifests"), "main");
        var deployer = new GitOpsDeployer(manifests.Repository(), manifests.Log);
        var both = Both("prod", 1, 2);
        var alone = new DeployRequest("prod", "shortlink", DeployRequest.DefaultPath("shortlink", "prod"), Shortlink("prod", 4).Image);

        await deployer.DeployAsync(both, DeployMode.PullRequest, Clearances(both), settings, null, None);
        var single = await deployer.DeployAsync(alone, DeployMode.PullRequest, Clearances(alone)[0], settings, null, None);

        Assert.Equal(2, pulls.Count);
        Assert.Equal($"deploy/prod/shortlink-{ManifestsRepositoryTests.Digest(4)[7..19]}", single.Revision.Branch);
        Assert.Equal($"deploy(prod): shortlink 1.4.0@{ManifestsRepositoryTests.Digest(4)[7..19]}", pulls[1]["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_direct_deploy_of_two_apps_pokes_the_receiver_once_with_its_one_commit()
    {
        using var manifests = await TwoAppsAsync();
        var pokes = new List<string>();
        await using var receiver = await FakeServer.StartAsync(app =>
            app.MapPost("/hook/abc", async (HttpRequest request) =>
            {
                var after = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!["after"]!.GetValue<string>();
                lock (pokes) pokes.Add(after);
                return Results.Ok();
            }));
        var flux = new FluxSettings { Receiver = (new Uri(receiver.Url, "/hook/abc"), "token", FluxReceiverType.GenericHmac) };
        var request = Both("dev", 1, 2);

        var outcome = await new GitOpsDeployer(manifests.Repository(), manifests.Log).DeployAsync(request, DeployMode.Direct, Clearances(request), null, flux, None);

        var head = await manifests.HeadAsync();
        Assert.Equal(new[] { head }, pokes);
        Assert.Equal(outcome.Revision.Commit, pokes[0]);
        Assert.Contains("[set shortlink, worker]", outcome.Describe());
    }

    [Fact]
    public async Task A_deploy_of_two_apps_without_a_clearance_for_one_is_refused_before_anything_is_pushed()
    {
        using var manifests = await TwoAppsAsync();
        var refs = await manifests.GitAsync("for-each-ref");
        var request = Both("dev", 1, 2);

        var error = await Assert.ThrowsAsync<PipelineException>(() => new GitOpsDeployer(manifests.Repository(), manifests.Log)
            .DeployAsync(request, DeployMode.Direct, Clearances(request).Take(1).ToList(), null, null, None));

        Assert.Contains("no gate clearance was given for worker", error.Message);
        Assert.Equal(refs, await manifests.GitAsync("for-each-ref"));
    }

    [Fact]
    public async Task A_rollback_of_two_apps_reverts_their_one_deploy_commit_in_one_commit_naming_both()
    {
        using var manifests = await TwoAppsAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Both("dev", 1, 2));
        var shortlinkBefore = await manifests.ShowAsync(ShortlinkDev);
        var workerBefore = await manifests.ShowAsync(WorkerDev);
        var bad = await repository.DeployAsync(Both("dev", 3, 4));
        var request = RollbackRequest.ForApps("dev",
            [new AppPath("shortlink", DeployRequest.DefaultPath("shortlink", "dev")), new AppPath("worker", DeployRequest.DefaultPath("worker", "dev"))], "run-9");

        var rolledBack = await repository.RollbackAsync(request);

        Assert.Equal(await manifests.HeadAsync(), rolledBack.Commit);
        Assert.Equal(bad.Commit, (await manifests.GitAsync("rev-parse", "main~1")).Trim());
        Assert.Equal([ShortlinkDev, WorkerDev], rolledBack.ChangedFiles);
        Assert.Equal(shortlinkBefore, await manifests.ShowAsync(ShortlinkDev));
        Assert.Equal(workerBefore, await manifests.ShowAsync(WorkerDev));
        var message = await manifests.GitAsync("log", "-1", "--format=%B", "main");
        Assert.StartsWith($"rollback(dev): shortlink, worker revert {bad.Commit[..12]}\n", message);
        Assert.Contains($"Reverts: {bad.Commit}", message);
        Assert.Contains("Pipeline-Run: run-9", message);
    }

    [Fact]
    public async Task A_rollback_of_one_app_whose_last_deploy_set_two_reverts_that_commit_whole_and_the_next_finds_the_earlier_deploys()
    {
        using var manifests = await TwoAppsAsync();
        var repository = manifests.Repository();
        var seedWorker = await manifests.ShowAsync(WorkerDev);
        await repository.DeployAsync(new DeployRequest("dev", "shortlink", DeployRequest.DefaultPath("shortlink", "dev"), Shortlink("dev", 1).Image));
        var shortlinkBefore = await manifests.ShowAsync(ShortlinkDev);
        var both = await repository.DeployAsync(Both("dev", 3, 4));

        // worker alone: its clone checks out only worker's folder, yet the revert also restores shortlink's.
        var rolledBack = await repository.RollbackAsync(new RollbackRequest("dev", "worker", DeployRequest.DefaultPath("worker", "dev")));
        var shortlinkAfterRollback = await manifests.ShowAsync(ShortlinkDev);
        var error = await Assert.ThrowsAsync<PipelineException>(() => repository.RollbackAsync(new RollbackRequest("dev", "worker", DeployRequest.DefaultPath("worker", "dev"))));
        var earlier = await repository.RollbackAsync(new RollbackRequest("dev", "shortlink", DeployRequest.DefaultPath("shortlink", "dev")));

        Assert.Equal([ShortlinkDev, WorkerDev], rolledBack.ChangedFiles);
        Assert.StartsWith($"rollback(dev): shortlink, worker revert {both.Commit[..12]}\n", await manifests.GitAsync("log", "-1", "--format=%B", "main~1"));
        Assert.Contains("also rolls back shortlink", manifests.Log.Text);
        Assert.Contains("no deploy of worker to dev left to roll back", error.Message);
        Assert.StartsWith("rollback(dev): shortlink revert ", await manifests.GitAsync("log", "-1", "--format=%s", "main"));
        Assert.Equal(seedWorker, await manifests.ShowAsync(WorkerDev));
        Assert.Equal(shortlinkBefore, shortlinkAfterRollback);
        Assert.Contains($"digest: sha256:{new string('0', 64)}", await manifests.ShowAsync(ShortlinkDev));
        Assert.Equal(earlier.Commit, await manifests.HeadAsync());
    }
}
