using Pipelines.Targets;
using Pipelines.Tests.Containers;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Signing;
using Pipelines.Tests.Targets;
using Pipelines.Workspace;

namespace Pipelines.Tests.Build;

/// <summary>Verify and Deploy say where the public key came from, and take it from the state only on a laptop.</summary>
public sealed class PublicKeySourceTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly SignedRegistry _registry = new(fixture);
    private readonly BuildHarness _harness = new();

    public void Dispose()
    {
        _registry.Dispose();
        _harness.Dispose();
    }

    private Task<int> Run(params string[] args)
    {
        var globalJson = Path.Combine(_harness.Root, "global.json");
        if (!File.Exists(globalJson)) File.Copy(Path.Combine(Support.TestPaths.RepositoryRoot, "global.json"), globalJson);
        return _harness.RunAsync(new global::Build(), "Test", [.. args, "--service", "shortlink"]);
    }

    [Fact]
    public async Task Verify_without_a_public_key_names_the_state_record_it_took_the_key_from_on_a_laptop()
    {
        var image = (await _registry.PushImageAsync(_registry.NewRepository())).ToString();
        Assert.True(await Run("Sign", "--skip", "--image", image) == 0, _harness.Text);

        var exit = await Run("Verify", "--image", image);

        Assert.True(exit == 0, _harness.Text);
        Assert.Contains($"Public key: the last Sign's key, recorded in the state ({Path.Combine(new WorkspaceLayout(_harness.Root).KeysDirectory, "cosign.pub")})", _harness.Text);
        Assert.DoesNotContain("--public-key (", _harness.Text);
    }

    [Fact]
    public async Task Verify_in_CI_refuses_to_take_the_key_from_the_state()
    {
        var image = (await _registry.PushImageAsync(_registry.NewRepository())).ToString();
        Assert.True(await Run("Sign", "--skip", "--image", image) == 0, _harness.Text);
        _harness.Environment["CI"] = "true";

        var exit = await Run("Verify", "--image", image);

        Assert.Equal(BuildRunner.Failure, exit);
        Assert.Contains("Pass --public-key", _harness.Text);
        Assert.DoesNotContain("recorded in the state", _harness.Text);
    }

    [Fact]
    public async Task Verify_with_a_public_key_says_it_came_from_the_flag()
    {
        var image = (await _registry.PushImageAsync(_registry.NewRepository())).ToString();
        Assert.True(await Run("Sign", "--skip", "--image", image) == 0, _harness.Text);
        var key = Path.Combine(new WorkspaceLayout(_harness.Root).KeysDirectory, "cosign.pub");

        var exit = await Run("Verify", "--image", image, "--public-key", key);

        Assert.True(exit == 0, _harness.Text);
        Assert.Contains($"Public key: --public-key ({key})", _harness.Text);
    }
}
