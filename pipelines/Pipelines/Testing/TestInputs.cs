using Pipelines.Targets;

namespace Pipelines.Testing;

/// <summary>
/// What a test run reads, for the Test target's cache: every file git knows in the repository (the solution's
/// tests read the toolkit, the build, the sample service, the manifests and the README), as they are in the
/// working tree; the .NET SDK that global.json selects; and the run's configuration and filter.
/// </summary>
public static class TestInputs
{
    /// <summary>Adds the run's inputs to the fingerprint.</summary>
    public static async Task DeclareAsync(Fingerprint inputs, TestRunOptions options, CancellationToken cancellationToken)
    {
        await inputs.GitFilesAsync(cancellationToken);
        await inputs.ToolAsync("dotnet SDK", "dotnet", ["--version"], cancellationToken);
        inputs.Add("solution", Path.GetRelativePath(inputs.RootDirectory, Path.GetFullPath(options.Target, inputs.RootDirectory)))
            .Add("configuration", options.Configuration)
            .Add("test-filter", options.Filter);
    }
}
