using Pipelines.GitOps;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitOps;

/// <summary>
/// A deploy stopped (Ctrl-C, SIGTERM) while git pushes says what the manifests repository really holds, and temporary
/// clones never outlive their run: a real bare repository whose hooks sleep, so that the stop lands mid-push.
/// </summary>
public sealed class InterruptedDeployTests
{
    private static DeployRequest Deploy(int n) =>
        new("dev", "shortlink", DeployRequest.DefaultPath("shortlink", "dev"),
            new ImageUpdate("shortlink", "127.0.0.1:5000/shortlink", "1.4.0", ManifestsRepositoryTests.Digest(n)));

    [Fact]
    public async Task A_deploy_stopped_after_its_push_landed_reports_the_commit_as_deployed()
    {
        using var manifests = await BareManifests.CreateAsync();
        Hook(manifests, "post-receive", "sleep 3");
        var before = await manifests.HeadAsync();
        using var stop = new CancellationTokenSource();

        var deploy = manifests.Repository().DeployAsync(Deploy(1), stop.Token);
        // The branch has moved and the hook sleeps: git push is still running.
        await WaitUntilAsync(async () => await manifests.HeadAsync() != before);
        stop.Cancel();
        var revision = await deploy;

        Assert.True(revision.Interrupted);
        Assert.Equal(await manifests.HeadAsync(), revision.Commit);
        Assert.Equal($"deployed at {revision.Commit} (interrupted after the push) on main", revision.Describe());
    }

    [Fact]
    public async Task A_deploy_stopped_before_its_push_landed_says_the_manifests_repository_is_unchanged()
    {
        using var manifests = await BareManifests.CreateAsync();
        using var marker = new TempDirectory("hook-marker");
        Hook(manifests, "pre-receive", $"touch '{marker.Combine("started")}'\nsleep 5");
        var before = await manifests.HeadAsync();
        using var stop = new CancellationTokenSource();

        var deploy = manifests.Repository().DeployAsync(Deploy(2), stop.Token);
        await WaitUntilAsync(() => Task.FromResult(File.Exists(marker.Combine("started"))));
        stop.Cancel();
        var error = await Assert.ThrowsAsync<PipelineException>(() => deploy);

        Assert.Contains("dev: not deployed: the manifests repository is unchanged", error.Message);
        Assert.Equal(before, await manifests.HeadAsync());
        // The receiving side was stopped too: nothing lands once the hook would have finished.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(before, await manifests.HeadAsync());
    }

    [Fact]
    public async Task A_deploy_stopped_before_cloning_finished_says_nothing_was_deployed()
    {
        using var manifests = await BareManifests.CreateAsync();
        var before = await manifests.HeadAsync();

        var error = await Assert.ThrowsAsync<PipelineException>(() => manifests.Repository().DeployAsync(Deploy(3), new CancellationToken(canceled: true)));

        Assert.Contains("dev: not deployed: the manifests repository is unchanged (interrupted before the push)", error.Message);
        Assert.Equal(before, await manifests.HeadAsync());
    }

    [Fact]
    public async Task A_later_deploy_removes_the_clones_a_killed_run_left_and_nothing_else()
    {
        using var manifests = await BareManifests.CreateAsync();
        var dead = DeadProcessId();
        var stale = Path.Combine(Path.GetTempPath(), $"gitops-{dead}-0123456789ab");
        var foreign = Path.Combine(Path.GetTempPath(), $"gitops-notours-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(stale, ".git"));
        Directory.CreateDirectory(foreign);
        try
        {
            await manifests.Repository().DeployAsync(Deploy(4));

            Assert.False(Directory.Exists(stale), $"{stale} was left behind by a dead process and should have been removed");
            Assert.True(Directory.Exists(foreign));
            Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), $"gitops-{Environment.ProcessId}-*")
                .Where(d => File.Exists(Path.Combine(d, "apps", "shortlink", "overlays", "dev", "kustomization.yaml"))
                            && File.ReadAllText(Path.Combine(d, "apps", "shortlink", "overlays", "dev", "kustomization.yaml")).Contains(ManifestsRepositoryTests.Digest(4))));
        }
        finally
        {
            if (Directory.Exists(stale)) Directory.Delete(stale, true);
            Directory.Delete(foreign, true);
        }
    }

    internal static void Hook(BareManifests manifests, string name, string body)
    {
        var path = Path.Combine(manifests.Path, "hooks", name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The push did not reach the hook within 60 s.");
            await Task.Delay(20);
        }
    }

    /// <summary>A process id no process has now.</summary>
    private static int DeadProcessId()
    {
        for (var pid = 4_000_000; ; pid--)
            if (!Directory.Exists($"/proc/{pid}")) return pid;
    }
}
