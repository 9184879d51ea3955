using Pipelines.Logging;
using Pipelines.Tests.Support;
using Pipelines.GitOps;

namespace Pipelines.Tests.GitOps;

public sealed class ManifestsRepositoryTests
{
    private const string DevOverlay = "apps/shortlink/overlays/dev/kustomization.yaml";

    internal static string Digest(int n) => "sha256:" + n.ToString("x").PadLeft(64, 'a');

    private static DeployRequest Deploy(string app, string environment, string digest, string tag = "1.4.0") =>
        new(environment, app, DeployRequest.DefaultPath(app, environment), new ImageUpdate(app, $"127.0.0.1:5000/{app}", tag, digest),
            SourceCommit: "0123456789abcdef0123456789abcdef01234567", PipelineRun: "https://ci.example/runs/42");

    [Fact]
    public async Task A_deploy_pushes_one_commit_with_the_digest_message_and_trailers()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var before = await manifests.HeadAsync();

        // Act
        var deployed = await manifests.Repository().DeployAsync(Deploy("shortlink", "dev", Digest(1)));

        // Assert
        Assert.False(deployed.AlreadyDeployed);
        Assert.Equal(await manifests.HeadAsync(), deployed.Commit);
        Assert.Equal([DevOverlay], deployed.ChangedFiles);
        Assert.Equal(before, (await manifests.GitAsync("rev-parse", "main~1")).Trim());
        var message = await manifests.GitAsync("log", "-1", "--format=%B", "main");
        Assert.StartsWith($"deploy(dev): shortlink 1.4.0@{Digest(1)[7..19]}\n", message);
        var trailers = await manifests.GitAsync("log", "-1", "--format=%(trailers:only,unfold)", "main");
        Assert.Contains($"Image-Digest: {Digest(1)}", trailers);
        Assert.Contains("Source-Commit: 0123456789abcdef0123456789abcdef01234567", trailers);
        Assert.Contains("Pipeline-Run: https://ci.example/runs/42", trailers);
        Assert.Equal("gitops-pipeline <gitops-pipeline@users.noreply.local>|gitops-pipeline <gitops-pipeline@users.noreply.local>",
            (await manifests.GitAsync("log", "-1", "--format=%an <%ae>|%cn <%ce>", "main")).Trim());
        var overlay = await manifests.ShowAsync(DevOverlay);
        Assert.Contains($"    newTag: 1.4.0 # the release\n    digest: {Digest(1)}\n", overlay);
        Assert.Equal(["apps/shortlink/overlays/dev/kustomization.yaml"], (await manifests.GitAsync("diff", "--name-only", "main~1", "main")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_deploy_works_in_a_shallow_single_branch_clone_of_only_the_environment_folder()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();

        // Act
        await manifests.Repository().DeployAsync(Deploy("shortlink", "dev", Digest(9)));

        // Assert
        var commands = manifests.Log.Lines.Where(l => l.Level == LogLevel.Debug).Select(l => l.Message).ToList();
        Assert.Contains(commands, c => c.StartsWith("git clone --quiet --single-branch --branch main --no-tags --filter=blob:none --sparse --depth 1 -- file://"));
        Assert.Contains("git sparse-checkout set -- apps/shortlink/overlays/dev", commands);
        Assert.Contains("git push --porcelain origin HEAD:refs/heads/main", commands);
        Assert.DoesNotContain(commands, c => c.Contains("--force") || c.Contains(" -f "));
    }

    [Fact]
    public async Task The_local_default_repository_is_created_once_from_the_template_and_says_so()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var head = await manifests.HeadAsync();

        // Act
        var again = await new LocalManifestsRepository(manifests.Log).EnsureAsync(manifests.Path, "/nonexistent/template");

        // Assert
        Assert.Equal(manifests.Path, again);
        Assert.Equal(head, await manifests.HeadAsync());
        Assert.Contains("Created the local manifests repository", manifests.Log.Text);
        Assert.Equal("true", (await manifests.GitAsync("config", "uploadpack.allowFilter")).Trim());
    }

    [Fact]
    public async Task The_local_repository_gains_an_app_added_to_the_template_after_it_was_created_and_nothing_else()
    {
        using var manifests = await BareManifests.CreateAsync();
        var head = await manifests.HeadAsync();
        using var template = new TempDirectory("manifests-template");
        ImageSetterGoldenTests.CopyFolder(TestPaths.TestData("gitops", "repo"), template.Path);
        ImageSetterGoldenTests.CopyFolder(template.Combine("apps", "shortlink"), template.Combine("apps", "worker"));
        File.WriteAllText(template.Combine("apps", "shortlink", "overlays", "dev", "kustomization.yaml"), "edited in the template\n");

        await new LocalManifestsRepository(manifests.Log).EnsureAsync(manifests.Path, template.Path);
        var added = await manifests.HeadAsync();
        await new LocalManifestsRepository(manifests.Log).EnsureAsync(manifests.Path, template.Path);

        Assert.Equal(head, (await manifests.GitAsync("rev-parse", "main~1")).Trim());
        Assert.Equal(added, await manifests.HeadAsync());
        Assert.Equal("Add apps/worker from the manifests template", (await manifests.GitAsync("log", "-1", "--format=%s", "main")).Trim());
        Assert.All((await manifests.GitAsync("show", "--name-only", "--format=", "main")).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            file => Assert.StartsWith("apps/worker/", file));
        Assert.DoesNotContain("edited in the template", await manifests.ShowAsync("apps/shortlink/overlays/dev/kustomization.yaml"));
    }

    [Fact]
    public async Task An_image_the_environment_does_not_reference_is_refused_and_the_repository_is_unchanged()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var before = await manifests.HeadAsync();
        var request = Deploy("shortlink", "dev", Digest(2)) with { Image = new ImageUpdate("payments", null, "2.0.0", Digest(2)) };

        // Act
        var error = await Assert.ThrowsAsync<PipelineException>(() => manifests.Repository().DeployAsync(request));

        // Assert
        Assert.Contains("`payments`", error.Message);
        Assert.Contains("`apps/shortlink/overlays/dev`", error.Message);
        Assert.Contains("Files searched: kustomization.yaml", error.Message);
        Assert.Contains("Image names seen: shortlink", error.Message);
        Assert.Equal(before, await manifests.HeadAsync());
    }

    [Fact]
    public async Task A_missing_environment_folder_is_refused_naming_the_path()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();

        // Act
        var error = await Assert.ThrowsAsync<PipelineException>(() => manifests.Repository().DeployAsync(Deploy("shortlink", "qa", Digest(3))));

        // Assert
        Assert.Contains("`apps/shortlink/overlays/qa` does not exist", error.Message);
    }

    [Fact]
    public async Task Deploying_the_same_digest_again_makes_no_commit_and_says_where_it_is_deployed()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var first = await manifests.Repository().DeployAsync(Deploy("shortlink", "dev", Digest(4)));

        // Act
        var second = await manifests.Repository().DeployAsync(Deploy("shortlink", "dev", Digest(4)));

        // Assert
        Assert.True(second.AlreadyDeployed);
        Assert.Equal(first.Commit, second.Commit);
        Assert.Equal(first.Commit, await manifests.HeadAsync());
        Assert.Equal($"already deployed at {first.Commit}", second.Describe());
    }

    [Fact]
    public async Task Ten_deploys_of_different_apps_in_parallel_all_land_and_none_is_lost()
    {
        // Arrange: ten apps beside the template's, each with a dev overlay.
        var apps = Enumerable.Range(0, 10).Select(i => $"app{i}").ToList();
        using var manifests = await BareManifests.CreateAsync(addToTemplate: folder =>
        {
            foreach (var app in apps)
            {
                var overlay = Path.Combine(folder, "apps", app, "overlays", "dev");
                Directory.CreateDirectory(overlay);
                File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"), $"resources: []\nimages:\n- name: {app}\n  newTag: 0.1.0\n");
            }
        });
        var before = await manifests.HeadAsync();

        // Act
        var deployed = await Task.WhenAll(apps.Select((app, i) => Task.Run(() => manifests.Repository(maxAttempts: 30).DeployAsync(Deploy(app, "dev", Digest(100 + i))))));

        // Assert
        Assert.All(deployed, d => Assert.False(d.AlreadyDeployed));
        Assert.Equal("10", (await manifests.GitAsync("rev-list", "--count", $"{before}..main")).Trim());
        Assert.Equal(10, deployed.Select(d => d.Commit).Distinct().Count());
        for (var i = 0; i < apps.Count; i++)
            Assert.Contains($"digest: {Digest(100 + i)}", await manifests.ShowAsync($"apps/{apps[i]}/overlays/dev/kustomization.yaml"));
    }

    [Fact]
    public async Task Two_deploys_of_the_same_app_racing_leave_the_later_push_in_place_and_both_in_history()
    {
        // Arrange
        using var manifests = await BareManifests.CreateAsync();
        var before = await manifests.HeadAsync();

        // Act
        var deployed = await Task.WhenAll(
            Task.Run(() => manifests.Repository().DeployAsync(Deploy("shortlink", "dev", Digest(7), "1.7.0"))),
            Task.Run(() => manifests.Repository().DeployAsync(Deploy("shortlink", "dev", Digest(8), "1.8.0"))));

        // Assert: the head commit is the later push, and its digest is the one in the file.
        var head = await manifests.HeadAsync();
        var later = Assert.Single(deployed, d => d.Commit == head);
        var earlier = Assert.Single(deployed, d => d.Commit != head);
        Assert.Equal(earlier.Commit, (await manifests.GitAsync("rev-parse", "main~1")).Trim());
        Assert.Equal(before, (await manifests.GitAsync("rev-parse", "main~2")).Trim());
        var laterDigest = (await manifests.GitAsync("log", "-1", "--format=%(trailers:key=Image-Digest,valueonly)", head)).Trim();
        Assert.Contains($"digest: {laterDigest}\n", await manifests.ShowAsync(DevOverlay));
        Assert.Contains(laterDigest, new[] { Digest(7), Digest(8) });
    }

    [Fact]
    public async Task A_push_rejected_because_the_branch_moved_is_retried_on_the_new_head()
    {
        // Arrange: while the shortlink deploy edits its clone, another pipeline pushes a deploy of app0.
        using var manifests = await BareManifests.CreateAsync(addToTemplate: folder =>
        {
            var overlay = Path.Combine(folder, "apps", "app0", "overlays", "dev");
            Directory.CreateDirectory(overlay);
            File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"), "images:\n- name: app0\n  newTag: 0.1.0\n");
        });
        string? otherCommit = null;
        var interloper = new CallbackLog(message =>
        {
            if (otherCommit is not null || !message.Contains("→")) return;
            otherCommit = "pending";
            otherCommit = Task.Run(() => manifests.Repository().DeployAsync(Deploy("app0", "dev", Digest(50)))).GetAwaiter().GetResult().Commit;
        });
        var repository = new ManifestsRepository(new ManifestsRepositoryOptions(manifests.Path, RetryDelay: TimeSpan.FromMilliseconds(10)),
            new ImageSetter(ImageSetterOptions.Default, interloper), interloper);

        // Act
        var deployed = await repository.DeployAsync(Deploy("shortlink", "dev", Digest(51)));

        // Assert
        Assert.Equal(2, deployed.Attempts);
        Assert.Equal(await manifests.HeadAsync(), deployed.Commit);
        Assert.Equal(otherCommit, (await manifests.GitAsync("rev-parse", "main~1")).Trim());
        Assert.Contains($"digest: {Digest(50)}", await manifests.ShowAsync("apps/app0/overlays/dev/kustomization.yaml"));
        Assert.Contains($"digest: {Digest(51)}", await manifests.ShowAsync(DevOverlay));
        Assert.Contains("moved meanwhile", interloper.Text);
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
