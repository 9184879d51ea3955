using Pipelines.Components;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Components;

/// <summary>
/// Everything that needs only local inputs is checked before the first target, and all problems are reported together:
/// a registry or image name the registry would refuse, a tab in a manifests file (on its own line), a --dockerfile that
/// does not exist (fixed on the command line, not in C#), and a --signing-key path shown as given.
/// </summary>
public sealed class BeforeTargetsLocalInputsTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class OrdersBuild : GitOpsBuild
    {
        protected override string Name => "orders";
        protected override IReadOnlyList<Service> Services => [new("orders")];
    }

    /// <summary>A committed repository with the service's Dockerfile and its dev overlay, whose patch is <paramref name="patch"/>.</summary>
    private async Task SeedAsync(string patch = "spec:\n  replicas: 1\n")
    {
        var context = Directory.CreateDirectory(Path.Combine(_harness.Root, "src", "orders")).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM scratch\n");
        var overlay = Directory.CreateDirectory(Path.Combine(_harness.Root, "manifests", "apps", "orders", "overlays", "dev")).FullName;
        await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), "resources: [../../base]\npatches:\n- path: patch.yaml\n");
        await File.WriteAllTextAsync(Path.Combine(overlay, "patch.yaml"), patch);
        await TestGit.OutputAsync(_harness.Root, "init", "-q", "-b", "main");
        await TestGit.OutputAsync(_harness.Root, "add", "-A");
        await TestGit.OutputAsync(_harness.Root, "commit", "-q", "-m", "orders");
    }

    private void AssertNothingRan(int exit)
    {
        Assert.True(exit == BuildRunner.UsageError, _harness.Text);
        Assert.Contains("Nothing was run.", _harness.Text);
        Assert.DoesNotContain("dotnet test", _harness.Text);
        Assert.False(File.Exists(new WorkspaceLayout(_harness.Root).StateFile), "a target ran and recorded its state");
    }

    [Fact]
    public async Task Bad_registry_image_name_dockerfile_and_a_tab_in_the_manifests_are_all_reported_before_Test()
    {
        await SeedAsync("spec:\n  template:\n    spec:\n\t  containers: []\n");

        var exit = await _harness.RunAsync(new OrdersBuild(), "Deploy", "Deploy",
            "--registry", "bad host:99999", "--image-name", "UPPER/Case", "--dockerfile", "does/not/exist");

        AssertNothingRan(exit);
        Assert.Contains("Containerize cannot run: --registry 'bad host:99999' is not a registry: it contains whitespace; write host[:port][/namespace]", _harness.Text);
        Assert.Contains("Containerize cannot run: --image-name 'UPPER/Case' is not a repository name: the repository 'UPPER/Case' contains uppercase letters; repository names must be lowercase, e.g. 'upper/case'.", _harness.Text);
        Assert.Contains("--dockerfile `does/not/exist` does not exist", _harness.Text);
        Assert.Contains("leave --dockerfile out to use the service's", _harness.Text);
        Assert.DoesNotContain("in Services", _harness.Text);
        Assert.Contains("Deploy cannot run: The manifests file `manifests/apps/orders/overlays/dev/patch.yaml:4:1 (line 4, column 1)` is not valid YAML: a tab in the indentation", _harness.Text);
    }

    [Fact]
    public async Task A_registry_port_out_of_range_is_refused_before_Test()
    {
        await SeedAsync();

        var exit = await _harness.RunAsync(new OrdersBuild(), "Containerize", "Containerize", "--registry", "registry.example:99999");

        AssertNothingRan(exit);
        Assert.Contains("--registry 'registry.example:99999' is not a registry: the registry port '99999' in 'registry.example:99999' is not a number from 1 to 65535", _harness.Text);
    }

    [Fact]
    public async Task A_signing_key_path_is_shown_as_given_and_PEM_text_stays_masked()
    {
        await SeedAsync();
        var path = Path.Combine(_harness.Root, "keys", "missing-cosign.key");

        var byPath = await _harness.RunAsync(new OrdersBuild(), "Sign", "Sign", "--signing-key", path);
        var pathText = _harness.Text;
        _harness.Output.GetStringBuilder().Clear();
        _harness.Error.GetStringBuilder().Clear();
        const string Pem = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nnot-base64-at-all\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
        var byText = await _harness.RunAsync(new OrdersBuild(), "Sign", "Sign", "--signing-key", Pem);

        AssertNothingRan(byPath);
        Assert.Contains($"is neither PEM text nor an existing file ('{path}')", pathText);
        AssertNothingRan(byText);
        Assert.DoesNotContain("not-base64-at-all", _harness.Text);
        Assert.Contains("Sign cannot run: The signing key --signing-key", _harness.Text);
    }

    [Fact]
    public async Task A_base64_encoded_signing_key_stays_masked()
    {
        await SeedAsync();
        // A key encoded for a CI variable: one line of base64, no -----BEGIN, '/' and '+' in it.
        var encoded = Convert.ToBase64String(Enumerable.Range(0, 180).Select(i => (byte)(i * 53 + 251)).ToArray());

        var exit = await _harness.RunAsync(new OrdersBuild(), "Sign", "Sign", "--signing-key", encoded);

        AssertNothingRan(exit);
        Assert.Contains("Sign cannot run: The signing key --signing-key is neither PEM text nor a file path", _harness.Text);
        Assert.DoesNotContain(encoded, _harness.Text);
        Assert.DoesNotContain(encoded[..40], _harness.Text);
    }
}
