using Pipelines.Workspace;

namespace Pipelines.Testing;

/// <summary>
/// What a test run reads, for the Test target's cache: every file git knows in the repository (the solution's
/// tests read the toolkit, the build, the sample service, the manifests and the README), as they are in the
/// working tree; the .NET SDKs installed (with global.json, the one selected); and the run's configuration and filter.
/// </summary>
internal static class TestInputs
{
    /// <summary>Adds the run's inputs to the fingerprint.</summary>
    internal static async Task DeclareAsync(Fingerprint inputs, TestRunOptions options, CoverageGate gate, CancellationToken cancellationToken)
    {
        await inputs.GitFilesAsync(cancellationToken);
        // The SDK global.json selects follows from global.json (a tracked file above) and the SDKs installed:
        // listing them costs nothing, where `dotnet --version` costs half a second.
        inputs.Add("dotnet SDKs installed", InstalledSdks());
        inputs.Add("solution", Path.GetRelativePath(inputs.RootDirectory, Path.GetFullPath(options.Target, inputs.RootDirectory)))
            .Add("configuration", options.Configuration)
            .Add("test-filter", options.Filter)
            // A cached run is skipped without its gate being checked again: a new threshold runs the tests again.
            .Add("coverage", options.CollectCoverage)
            .Add("coverage-threshold", gate.Line)
            .Add("coverage-branch-threshold", gate.Branch);
    }

    /// <summary>The SDK versions beside the dotnet on PATH; empty when there is none (the run then fails on its own).</summary>
    private static IReadOnlyList<string> InstalledSdks()
    {
        var dotnet = Processes.Command.Resolve("dotnet");
        if (dotnet is null) return [];
        var resolved = new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet;
        var sdk = Path.Combine(Path.GetDirectoryName(resolved)!, "sdk");
        return Directory.Exists(sdk) ? Directory.GetDirectories(sdk).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList() : [];
    }
}
