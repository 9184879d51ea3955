using Pipelines.Targets;
using Pipelines.Tests.Containers;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Scanning;
using Pipelines.Tests.Signing;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Build;

/// <summary>
/// NUKE's <c>Requires</c>: a deploy that cannot happen (an unconfigured environment, a manifests repository that does
/// not exist, an unknown kubeconfig context) stops before the first target, so nothing is scanned, signed or pushed.
/// </summary>
public sealed class DeployRequiresTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly SignedRegistry _registry = new(fixture);
    private readonly BuildHarness _harness = new();
    private readonly FakeTrivy _trivy = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden");

    public void Dispose()
    {
        _registry.Dispose();
        _harness.Dispose();
        _trivy.Dispose();
    }

    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev
          cluster:
            server: https://127.0.0.1:6443
        contexts:
        - name: dev
          context:
            cluster: dev
            user: dev
        users:
        - name: dev
          user:
            token: t
        """;

    [Theory]
    [InlineData("unknown environment", "Unknown environment 'qa'", "--environment", "qa")]
    [InlineData("missing repository", "/nonexistent/manifests.git` does not exist", "--manifests-repo", "/nonexistent/manifests.git")]
    [InlineData("unknown context", "nope", "--wait-for-flux", "--kube-context", "nope", "--kubeconfig", "KUBECONFIG")]
    public async Task Deploy_refuses_a_configuration_it_cannot_deploy_before_anything_is_scanned_or_signed(string _, string expected, params string[] extra)
    {
        var kubeconfig = Path.Combine(_harness.Root, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig);
        var image = (await _registry.PushImageAsync(_registry.NewRepository())).WithTag("1.0.0").ToString();
        string[] args = ["Deploy", "--skip", "Test", "Containerize", "--image", image, "--trivy-path", _trivy.Executable,
            .. extra.Select(a => a == "KUBECONFIG" ? kubeconfig : a)];

        var exit = await _harness.RunAsync(new global::Build(), "Test", args);

        Assert.True(exit == BuildRunner.UsageError, _harness.Text);
        Assert.Contains("Deploy cannot run: ", _harness.Text);
        Assert.Contains(expected, _harness.Text);
        Assert.Contains("Nothing was run.", _harness.Text);
        Assert.False(Directory.Exists(new WorkspaceLayout(_harness.Root).ScanDirectory), "Scan ran");
        Assert.False(Directory.Exists(new WorkspaceLayout(_harness.Root).KeysDirectory), "Sign ran");
    }
}
