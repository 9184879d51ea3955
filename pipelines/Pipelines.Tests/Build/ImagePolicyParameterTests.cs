using Pipelines.Builds;
using Pipelines.Tests.Registry;
using Pipelines.Tests.GitOps;
using Pipelines.Tests.Signing;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;

namespace Pipelines.Tests.Build;

/// <summary>Flux <c>$imagepolicy</c> markers can be used from the command line: --image-policies, default flux-system:&lt;service&gt;.</summary>
public sealed class ImagePolicyParameterTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly SignedRegistry _registry = new(fixture);
    private readonly BuildHarness _harness = new();
    private readonly TempDirectory _template = new("marker-template");

    public void Dispose()
    {
        _registry.Dispose();
        _harness.Dispose();
        _template.Dispose();
    }

    [Theory]
    [InlineData("flux-system:web")]
    [InlineData("apps:web-policy", "--image-policies", "apps:web-policy")]
    public async Task Deploy_sets_a_marker_only_file_through_the_image_policy_parameter(string policy, params string[] extra)
    {
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(_harness.Root, "global.json"));
        var overlay = Directory.CreateDirectory(_template.Combine("apps", "web", "overlays", "dev")).FullName;
        File.WriteAllText(Path.Combine(overlay, "deployment.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n" +
            $"      - name: web\n        image: example.org/web:0.9 # {{\"$imagepolicy\": \"{policy}\"}}\n");
        using var manifests = await BareManifests.CreateAsync(_template.Path);
        var image = (await _registry.PushImageAsync(_registry.NewRepository())).WithTag("1.0.0").ToString();
        Assert.True(await _harness.RunAsync(new WebBuild(), "Test", "Sign", "--skip", "--image", image) == 0, _harness.Text);

        var exit = await _harness.RunAsync(new WebBuild(), "Test",
            ["Deploy", "--skip", "--image", image, "--require-scan", "false", "--manifests-repo", manifests.Path, .. extra]);

        Assert.True(exit == 0, _harness.Text);
        var deployed = await manifests.ShowAsync("apps/web/overlays/dev/deployment.yaml");
        Assert.Contains($"image: {image} # {{\"$imagepolicy\": \"{policy}\"}}", deployed);
    }

    /// <summary>A build of one service, web, whose sources the deploy does not need (the image is given).</summary>
    private sealed class WebBuild : GitOpsBuild
    {
        protected override string Name => "web";
        protected override IReadOnlyList<Service> Services => [new("web")];
    }
}
