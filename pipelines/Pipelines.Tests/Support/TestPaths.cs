namespace Pipelines.Tests.Support;

/// <summary>Where the repository and the shared fixtures are, wherever the tests run from.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = global::Pipelines.Targets.PipelineBuild.FindRoot(AppContext.BaseDirectory);

    /// <summary><c>../shared</c> beside the repository (overridable with <c>PIPELINE_SHARED_DIR</c>).</summary>
    public static string Shared { get; } = global::Pipelines.Testing.TestPrerequisites.SharedFolder(RepositoryRoot);

    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);

    /// <summary>A <c>testdata/</c> file beside the tests, copied to the output folder.</summary>
    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "testdata", .. parts]);
}

/// <summary>
/// A temporary directory deleted when disposed. One that is never disposed is deleted when the test process exits:
/// xunit disposes only test classes it managed to construct, so a folder made by an earlier field initializer of a
/// class whose constructor then threw (a missing fixture, say) would otherwise stay in /tmp for good.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Undisposed = new(StringComparer.Ordinal);

    static TempDirectory() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var path in Undisposed.Keys) global::Pipelines.TemporaryFolders.Delete(path);
    };

    public TempDirectory(string? prefix = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix ?? "pipelines-test"}-{Guid.NewGuid():N}"[..^20]);
        Directory.CreateDirectory(Path);
        Undisposed[Path] = 0;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        global::Pipelines.TemporaryFolders.Delete(Path);
        Undisposed.TryRemove(Path, out _);
    }
}
