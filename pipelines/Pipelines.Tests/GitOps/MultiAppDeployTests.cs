using Pipelines.GitOps;
using Pipelines.Logging;

namespace Pipelines.Tests.GitOps;

/// <summary>Several apps deployed to one environment in one commit, against a real bare manifests repository.</summary>
public sealed class MultiAppDeployTests
{
    internal const string ShortlinkDev = "apps/shortlink/overlays/dev/kustomization.yaml";
    internal const string WorkerDev = "apps/worker/overlays/dev/kustomization.yaml";

    private static string Digest(int n) => ManifestsRepositoryTests.Digest(n);

    /// <summary>The template plus a second app, <c>worker</c>, with a dev and a prod overlay.</summary>
    internal static Task<BareManifests> TwoAppsAsync() => BareManifests.CreateAsync(addToTemplate: folder =>
    {
        foreach (var environment in new[] { "dev", "prod" })
        {
            var overlay = Path.Combine(folder, "apps", "worker", "overlays", environment);
            Directory.CreateDirectory(overlay);
            File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"), "resources: []\nimages:\n  - name: worker\n    newTag: 0.1.0\n");
        }
    });

    internal static AppImage Shortlink(string environment, int digest, string tag = "1.4.0") =>
        new("shortlink", DeployRequest.DefaultPath("shortlink", environment), new ImageUpdate("shortlink", "127.0.0.1:5000/shortlink", tag, Digest(digest)));

    internal static AppImage Worker(string environment, int digest, string tag = "2.0.0") =>
        new("worker", DeployRequest.DefaultPath("worker", environment), new ImageUpdate("worker", "127.0.0.1:5000/worker", tag, Digest(digest)));

    internal static DeployRequest Both(string environment, int shortlink, int worker) =>
        DeployRequest.ForApps(environment, [Shortlink(environment, shortlink), Worker(environment, worker)],
            "0123456789abcdef0123456789abcdef01234567", "https://ci.example/runs/7");

    [Fact]
    public async Task Two_apps_are_deployed_in_one_commit_that_holds_both_digests_and_names_both()
    {
        using var manifests = await TwoAppsAsync();
        var before = await manifests.HeadAsync();

        var deployed = await manifests.Repository().DeployAsync(Both("dev", 1, 2));

        Assert.Equal(await manifests.HeadAsync(), deployed.Commit);
        Assert.Equal(before, (await manifests.GitAsync("rev-parse", "main~1")).Trim());
        Assert.Equal([ShortlinkDev, WorkerDev], deployed.ChangedFiles);
        Assert.Equal(["shortlink", "worker"], deployed.Apps);
        Assert.Empty(deployed.UpToDateApps);
        Assert.Contains("[set shortlink, worker]", deployed.Describe());
        Assert.Contains($"digest: {Digest(1)}", await manifests.ShowAsync(ShortlinkDev));
        var worker = await manifests.ShowAsync(WorkerDev);
        Assert.Contains("newName: 127.0.0.1:5000/worker", worker);
        Assert.Contains($"digest: {Digest(2)}", worker);
        Assert.Equal([ShortlinkDev, WorkerDev], (await manifests.GitAsync("diff", "--name-only", "main~1", "main")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var message = await manifests.GitAsync("log", "-1", "--format=%B", "main");
        Assert.StartsWith($"deploy(dev): shortlink 1.4.0@{Digest(1)[7..19]}, worker 2.0.0@{Digest(2)[7..19]}\n", message);
        Assert.Contains($"Set 127.0.0.1:5000/shortlink:1.4.0@{Digest(1)} in apps/shortlink/overlays/dev.", message);
        Assert.Contains($"Set 127.0.0.1:5000/worker:2.0.0@{Digest(2)} in apps/worker/overlays/dev.", message);
        // Git reads the per-app trailers: App, Image, Image-Digest for each app, then the run's.
        var trailers = await manifests.GitAsync("log", "-1", "--format=%(trailers:only,unfold)", "main");
        Assert.Equal(
        [
            "App: shortlink", "Image: 127.0.0.1:5000/shortlink:1.4.0", $"Image-Digest: {Digest(1)}",
            "App: worker", "Image: 127.0.0.1:5000/worker:2.0.0", $"Image-Digest: {Digest(2)}",
            "Source-Commit: 0123456789abcdef0123456789abcdef01234567", "Pipeline-Run: https://ci.example/runs/7",
        ], trailers.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var commands = manifests.Log.Lines.Where(l => l.Level == LogLevel.Debug).Select(l => l.Message).ToList();
        Assert.Contains("git sparse-checkout set -- apps/shortlink/overlays/dev apps/worker/overlays/dev", commands);
    }

    [Fact]
    public async Task An_app_already_at_its_digest_is_left_out_of_the_commit_and_all_current_commits_nothing()
    {
        using var manifests = await TwoAppsAsync();
        var repository = manifests.Repository();
        await repository.DeployAsync(new DeployRequest("dev", "shortlink", DeployRequest.DefaultPath("shortlink", "dev"), Shortlink("dev", 1).Image));
        var shortlinkBefore = await manifests.ShowAsync(ShortlinkDev);

        var deployed = await repository.DeployAsync(Both("dev", 1, 2));
        var again = await repository.DeployAsync(Both("dev", 1, 2));

        Assert.Equal([WorkerDev], deployed.ChangedFiles);
        Assert.Equal(["worker"], deployed.Apps);
        Assert.Equal(["shortlink"], deployed.UpToDateApps);
        Assert.Contains("[set worker; already current shortlink]", deployed.Describe());
        Assert.Equal(shortlinkBefore, await manifests.ShowAsync(ShortlinkDev));
        Assert.Equal([WorkerDev], (await manifests.GitAsync("diff", "--name-only", "main~1", "main")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // Only worker changed: the commit is a single-app deploy commit, as if worker had been deployed alone.
        Assert.StartsWith($"deploy(dev): worker 2.0.0@{Digest(2)[7..19]}\n", await manifests.GitAsync("log", "-1", "--format=%B", "main"));
        Assert.True(again.AlreadyDeployed);
        Assert.Equal(deployed.Commit, again.Commit);
        Assert.Equal(deployed.Commit, await manifests.HeadAsync());
    }

    [Fact]
    public async Task An_image_the_second_app_does_not_reference_is_refused_naming_the_app_and_its_folder_and_nothing_is_pushed()
    {
        using var manifests = await TwoAppsAsync();
        var refs = await manifests.GitAsync("for-each-ref");
        var request = DeployRequest.ForApps("dev",
        [
            Shortlink("dev", 1),
            Worker("dev", 2) with { Image = new ImageUpdate("payments", null, "2.0.0", Digest(2)) },
        ]);

        var error = await Assert.ThrowsAsync<PipelineException>(() => manifests.Repository().DeployAsync(request));

        Assert.Contains("app `worker` in `apps/worker/overlays/dev`", error.Message);
        Assert.Contains("No reference to the image `payments`", error.Message);
        Assert.Contains("the manifests repository is unchanged", error.Message);
        Assert.DoesNotContain("shortlink`", error.Message);
        Assert.Equal(refs, await manifests.GitAsync("for-each-ref"));
    }

    [Fact]
    public async Task A_push_rejected_because_the_branch_moved_is_retried_and_sets_both_apps_on_the_new_head()
    {
        // While the two-app deploy edits its clone, another pipeline pushes a deploy of shortlink to staging.
        using var manifests = await TwoAppsAsync();
        string? otherCommit = null;
        var interloper = new CallbackLog(message =>
        {
            if (otherCommit is not null || !message.Contains("→")) return;
            otherCommit = "pending";
            otherCommit = Task.Run(() => manifests.Repository().DeployAsync(
                new DeployRequest("staging", "shortlink", DeployRequest.DefaultPath("shortlink", "staging"), Shortlink("staging", 50).Image))).GetAwaiter().GetResult().Commit;
        });
        var repository = new ManifestsRepository(new ManifestsRepositoryOptions(manifests.Path, RetryDelay: TimeSpan.FromMilliseconds(10)),
            new ImageSetter(ImageSetterOptions.Default, interloper), interloper);

        var deployed = await repository.DeployAsync(Both("dev", 51, 52));

        Assert.Equal(2, deployed.Attempts);
        Assert.Equal(["shortlink", "worker"], deployed.Apps);
        Assert.Equal(await manifests.HeadAsync(), deployed.Commit);
        Assert.Equal(otherCommit, (await manifests.GitAsync("rev-parse", "main~1")).Trim());
        Assert.Contains($"digest: {Digest(50)}", await manifests.ShowAsync("apps/shortlink/overlays/staging/kustomization.yaml"));
        Assert.Contains($"digest: {Digest(51)}", await manifests.ShowAsync(ShortlinkDev));
        Assert.Contains($"digest: {Digest(52)}", await manifests.ShowAsync(WorkerDev));
        Assert.Equal([ShortlinkDev, WorkerDev], (await manifests.GitAsync("diff", "--name-only", "main~1", "main")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("moved meanwhile", interloper.Text);
    }

    [Fact]
    public async Task Two_apps_that_share_one_folder_are_set_in_the_same_file_of_one_commit()
    {
        using var manifests = await BareManifests.CreateAsync(addToTemplate: folder =>
        {
            var overlay = Path.Combine(folder, "apps", "suite", "overlays", "dev");
            Directory.CreateDirectory(overlay);
            File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"), "images:\n  - name: api\n    newTag: 0.1.0\n  - name: jobs\n    newTag: 0.1.0\n");
        });
        var folder = DeployRequest.DefaultPath("suite", "dev");
        var request = DeployRequest.ForApps("dev",
        [
            new AppImage("api", folder, new ImageUpdate("api", null, "1.0.0", Digest(11))),
            new AppImage("jobs", folder, new ImageUpdate("jobs", null, "1.0.0", Digest(12))),
        ]);

        var deployed = await manifests.Repository().DeployAsync(request);

        Assert.Equal(["apps/suite/overlays/dev/kustomization.yaml"], deployed.ChangedFiles);
        Assert.Equal(["api", "jobs"], deployed.Apps);
        var overlay = await manifests.ShowAsync("apps/suite/overlays/dev/kustomization.yaml");
        Assert.Contains($"digest: {Digest(11)}", overlay);
        Assert.Contains($"digest: {Digest(12)}", overlay);
    }

    [Fact]
    public async Task A_deploy_of_two_apps_stopped_after_its_push_landed_reports_the_commit_and_both_apps_as_deployed()
    {
        using var manifests = await TwoAppsAsync();
        InterruptedDeployTests.Hook(manifests, "post-receive", "sleep 3");
        var before = await manifests.HeadAsync();
        using var stop = new CancellationTokenSource();

        var deploy = manifests.Repository().DeployAsync(Both("dev", 21, 22), stop.Token);
        await InterruptedDeployTests.WaitUntilAsync(async () => await manifests.HeadAsync() != before);
        stop.Cancel();
        var revision = await deploy;

        Assert.True(revision.Interrupted);
        Assert.Equal(await manifests.HeadAsync(), revision.Commit);
        Assert.Equal($"deployed at {revision.Commit} (interrupted after the push) on main [set shortlink, worker]", revision.Describe());
    }

    [Fact]
    public async Task The_images_deployed_for_several_apps_are_read_from_one_clone_and_every_unpinned_one_is_named()
    {
        using var manifests = await TwoAppsAsync();
        await manifests.Repository().DeployAsync(Both("dev", 31, 32));

        var deployed = await manifests.Repository().ReadDeployedAsync(
            [(DeployRequest.DefaultPath("shortlink", "dev"), "shortlink"), (DeployRequest.DefaultPath("worker", "dev"), "worker")]);
        var error = await Assert.ThrowsAsync<PipelineException>(() => manifests.Repository().ReadDeployedAsync(
            [(DeployRequest.DefaultPath("worker", "prod"), "worker"), (DeployRequest.DefaultPath("shortlink", "prod"), "payments")]));

        Assert.Equal([Digest(31), Digest(32)], deployed.Select(d => d.Digest));
        Assert.Equal("127.0.0.1:5000/worker:2.0.0@" + Digest(32), deployed[1].Reference);
        Assert.Contains("`apps/worker/overlays/prod` deploys `worker` without a digest (worker:0.1.0)", error.Message);
        Assert.Contains("`apps/shortlink/overlays/prod` does not reference the image `payments`", error.Message);
        // One clone for the deploy, one for the read.
        Assert.Equal(2, manifests.Log.Lines.Count(l => l.Message.StartsWith("git sparse-checkout set -- apps/shortlink/overlays/dev apps/worker/overlays/dev")));
    }

    [Fact]
    public void A_request_naming_an_app_twice_or_none_is_refused()
    {
        var twice = Assert.Throws<PipelineException>(() => DeployRequest.ForApps("dev", [Shortlink("dev", 1), Shortlink("dev", 2)]));
        var none = Assert.Throws<PipelineException>(() => DeployRequest.ForApps("dev", []));
        var rollback = Assert.Throws<PipelineException>(() => RollbackRequest.ForApps("dev", [new AppPath("worker", "a"), new AppPath("worker", "b")]));

        Assert.Contains("names shortlink more than once", twice.Message);
        Assert.Contains("needs at least one app", none.Message);
        Assert.Contains("names worker more than once", rollback.Message);
        Assert.False(DeployRequest.ForApps("dev", [Shortlink("dev", 1)]).IsMultiApp);
        Assert.Equal(new DeployRequest("dev", "shortlink", Shortlink("dev", 1).Path, Shortlink("dev", 1).Image), DeployRequest.ForApps("dev", [Shortlink("dev", 1)]));
    }

    [Fact]
    public void A_long_subject_lists_the_app_names_or_their_count_and_the_apps_are_read_back_from_the_trailers()
    {
        var apps = Enumerable.Range(1, 4).Select(i => new AppImage($"service-{i}", $"apps/service-{i}/overlays/dev",
            new ImageUpdate($"service-{i}", null, "1.0.0-preview.1", Digest(i)))).ToList();
        var many = Enumerable.Range(1, 12).Select(i => apps[0] with { App = $"service-number-{i}" }).ToList();

        var names = ManifestsRepository.Subject("deploy", "dev", apps);
        var count = ManifestsRepository.Subject("deploy", "dev", many);
        var message = ManifestsRepository.CommitMessage(DeployRequest.ForApps("dev", many), many);

        Assert.Equal("deploy(dev): service-1, service-2, service-3, service-4", names);
        Assert.Equal("deploy(dev): 12 apps", count);
        Assert.StartsWith("deploy(dev): 12 apps\n\nSet ", message);
        Assert.Equal(12, message.Split('\n').Count(l => l.StartsWith("App: service-number-")));
        Assert.Equal(["a", "b"], ManifestsRepository.DeployedApps("dev", "deploy(dev): 2 apps", ["a", "b"]));
        Assert.Equal(["shortlink"], ManifestsRepository.DeployedApps("dev", "deploy(dev): shortlink 1.0.0@abc", []));
        Assert.Equal(["shortlink"], ManifestsRepository.DeployedApps("dev", "deploy(dev): shortlink, worker", []));
        Assert.Empty(ManifestsRepository.DeployedApps("prod", "deploy(dev): shortlink 1.0.0@abc", []));
    }

    private sealed class CallbackLog(Action<string> onWrite) : ILog
    {
        private readonly MemoryLog _inner = new();

        public string Text => _inner.Text;

        public void Write(LogLevel level, string message)
        {
            _inner.Write(level, message);
            onWrite(message);
        }
    }
}
