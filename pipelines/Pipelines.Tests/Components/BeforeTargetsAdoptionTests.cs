using Pipelines.Components;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Components;

/// <summary>
/// What a new repository gets wrong first, found before any target runs: a service added to Services without its
/// manifests folder, and a folder with no commit yet. Both stop the run before Test, each naming the fix.
/// </summary>
public sealed class BeforeTargetsAdoptionTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class OrdersAndPaymentsBuild : GitOpsBuild
    {
        protected override string Name => "orders";
        protected override IReadOnlyList<Service> Services => [new("orders"), new("payments")];
    }

    /// <summary>Both services' Dockerfiles, and manifests for <paramref name="withManifests"/> only; committed when asked.</summary>
    private async Task SeedAsync(bool commit, params string[] withManifests)
    {
        foreach (var service in new[] { "orders", "payments" })
        {
            var context = Directory.CreateDirectory(Path.Combine(_harness.Root, "src", service)).FullName;
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM scratch\n");
        }
        foreach (var service in withManifests)
        {
            var overlay = Directory.CreateDirectory(Path.Combine(_harness.Root, "manifests", "apps", service, "overlays", "dev")).FullName;
            await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), "resources: [../../base]\n");
        }
        await TestGit.OutputAsync(_harness.Root, "init", "-q", "-b", "main");
        if (!commit) return;
        await TestGit.OutputAsync(_harness.Root, "add", "-A");
        await TestGit.OutputAsync(_harness.Root, "commit", "-q", "-m", "two services");
    }

    private void AssertNothingRan(int exit)
    {
        Assert.True(exit == BuildRunner.UsageError, _harness.Text);
        Assert.Contains("Nothing was run.", _harness.Text);
        Assert.DoesNotContain("dotnet test", _harness.Text);
        var layout = new WorkspaceLayout(_harness.Root);
        Assert.False(File.Exists(layout.StateFile), "a target ran and recorded its state");
        Assert.False(Directory.Exists(layout.ManifestsRepository), "the local manifests repository was created");
    }

    [Fact]
    public async Task A_service_without_its_manifests_folder_stops_the_deploy_before_Test_and_says_what_to_add()
    {
        await SeedAsync(commit: true, withManifests: "orders");

        var exit = await _harness.RunAsync(new OrdersAndPaymentsBuild(), "Test", "Deploy");

        AssertNothingRan(exit);
        Assert.Contains("Deploy cannot run: Service `payments` has no `manifests/apps/payments/overlays/dev/`", _harness.Text);
        Assert.Contains("add manifests/apps/payments/ (a base and an overlay per environment", _harness.Text);
        Assert.DoesNotContain("`orders` has no", _harness.Text);
    }

    [Fact]
    public async Task The_manifests_folder_checked_is_the_overlay_of_the_environment_deployed_to()
    {
        await SeedAsync(commit: true, withManifests: ["orders", "payments"]);

        var exit = await _harness.RunAsync(new OrdersAndPaymentsBuild(), "Test", "Rollback", "--environment", "staging");

        AssertNothingRan(exit);
        Assert.Contains("Rollback cannot run: Service `orders` has no `manifests/apps/orders/overlays/staging/`", _harness.Text);
        Assert.Contains("Service `payments` has no `manifests/apps/payments/overlays/staging/`", _harness.Text);
    }

    [Fact]
    public async Task A_repository_without_a_commit_stops_before_Test_saying_to_commit_first()
    {
        await SeedAsync(commit: false, withManifests: ["orders", "payments"]);

        var exit = await _harness.RunAsync(new OrdersAndPaymentsBuild(), "Test", "Deploy");

        AssertNothingRan(exit);
        Assert.Contains("Containerize cannot run: ", _harness.Text);
        Assert.Contains("is not a git repository with a commit", _harness.Text);
        Assert.Contains("commit first (git add -A && git commit -m", _harness.Text);
        Assert.DoesNotContain("has no `manifests/", _harness.Text);
    }

    [Fact]
    public async Task Both_problems_are_reported_together()
    {
        await SeedAsync(commit: false, withManifests: "orders");

        var exit = await _harness.RunAsync(new OrdersAndPaymentsBuild(), "Test", "Deploy");

        AssertNothingRan(exit);
        Assert.Contains("commit first", _harness.Text);
        Assert.Contains("Service `payments` has no `manifests/apps/payments/overlays/dev/`", _harness.Text);
    }
}
