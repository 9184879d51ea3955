using Pipelines.GitOps;

namespace Pipelines.Tests.GitOps;

public sealed class ManifestsHistoryTests
{
    private const string DevOverlay = "apps/shortlink/overlays/dev/kustomization.yaml";

    private static DeployRequest Deploy(string environment, int digest, string tag) =>
        new(environment, "shortlink", DeployRequest.DefaultPath("shortlink", environment),
            new ImageUpdate("shortlink", "127.0.0.1:5000/shortlink", tag, ManifestsRepositoryTests.Digest(digest)));

    [Fact]
    public async Task A_rollback_reverts_the_last_deploy_as_a_new_commit_and_restores_the_previous_digest()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy("dev", 1, "1.1.0"));
        var before = await manifests.ShowAsync(DevOverlay);
        var bad = await repository.DeployAsync(Deploy("dev", 2, "1.2.0"));
        await repository.DeployAsync(Deploy("staging", 3, "1.3.0"));

        // Act
        var rolledBack = await repository.RollbackAsync(new RollbackRequest("dev", "shortlink", DeployRequest.DefaultPath("shortlink", "dev"), "run-9"));

        // Assert
        Assert.Equal(await manifests.HeadAsync(), rolledBack.Commit);
        Assert.Equal([DevOverlay], rolledBack.ChangedFiles);
        Assert.Equal(before, await manifests.ShowAsync(DevOverlay));
        Assert.Contains($"digest: {ManifestsRepositoryTests.Digest(3)}", await manifests.ShowAsync("apps/shortlink/overlays/staging/kustomization.yaml"));
        var message = await manifests.GitAsync("log", "-1", "--format=%B", "main");
        Assert.StartsWith($"rollback(dev): shortlink revert {bad.Commit[..12]}\n", message);
        Assert.Contains($"Reverts: {bad.Commit}", message);
        Assert.Equal("5", (await manifests.GitAsync("rev-list", "--count", "main")).Trim());
    }

    [Fact]
    public async Task A_second_rollback_reverts_the_deploy_before_the_one_already_rolled_back()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        var seed = await manifests.ShowAsync(DevOverlay);
        await repository.DeployAsync(Deploy("dev", 1, "1.1.0"));
        await repository.DeployAsync(Deploy("dev", 2, "1.2.0"));
        var request = new RollbackRequest("dev", "shortlink", DeployRequest.DefaultPath("shortlink", "dev"));
        await repository.RollbackAsync(request);

        // Act
        await repository.RollbackAsync(request);

        // Assert
        Assert.Equal(seed, await manifests.ShowAsync(DevOverlay));
        var error = await Assert.ThrowsAsync<PipelineException>(() => repository.RollbackAsync(request));
        Assert.Contains("no deploy of shortlink to dev left to roll back", error.Message);
    }

    [Fact]
    public async Task A_promotion_deploys_the_digest_of_one_environment_to_another()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(Deploy("staging", 5, "1.5.0"));

        // Act
        var promoted = await repository.PromoteAsync(DeployRequest.DefaultPath("shortlink", "staging"),
            new DeployRequest("prod", "shortlink", DeployRequest.DefaultPath("shortlink", "prod"), new ImageUpdate("shortlink", null, null, null)));

        // Assert
        Assert.False(promoted.AlreadyDeployed);
        var prod = await manifests.ShowAsync("apps/shortlink/overlays/prod/kustomization.yaml");
        Assert.Contains($"    newTag: 1.5.0 # the release\n    digest: {ManifestsRepositoryTests.Digest(5)}\n", prod);
        Assert.StartsWith($"deploy(prod): shortlink 1.5.0@{ManifestsRepositoryTests.Digest(5)[7..19]}", await manifests.GitAsync("log", "-1", "--format=%s", "main"));
    }

    [Fact]
    public async Task A_pull_request_deploy_pushes_a_deploy_branch_leaves_main_alone_and_is_not_pushed_twice()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var main = await manifests.HeadAsync();
        var digest = ManifestsRepositoryTests.Digest(6);
        var branch = DeployRequest.PullRequestBranch("prod", "shortlink", digest);
        var request = Deploy("prod", 6, "1.6.0") with { PushBranch = branch };

        // Act
        var first = await manifests.Repository().DeployAsync(request);
        var second = await manifests.Repository().DeployAsync(request);

        // Assert
        Assert.Equal($"deploy/prod/shortlink-{digest[7..19]}", branch);
        Assert.Equal(main, await manifests.HeadAsync());
        Assert.Equal(first.Commit, (await manifests.GitAsync("rev-parse", branch)).Trim());
        Assert.Equal(branch, first.Branch);
        Assert.Contains($"digest: {digest}", await manifests.ShowAsync("apps/shortlink/overlays/prod/kustomization.yaml", branch));
        Assert.True(second.AlreadyDeployed, manifests.Log.Text);
        Assert.Equal(first.Commit, second.Commit);
        Assert.Equal(first.Commit, (await manifests.GitAsync("rev-parse", branch)).Trim());
    }
}
