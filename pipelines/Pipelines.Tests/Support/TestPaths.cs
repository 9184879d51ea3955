namespace Pipelines.Tests.Support;

/// <summary>Where the repository and the shared fixtures are, wherever the tests run from.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = global::Pipelines.Targets.PipelineBuild.FindRoot(AppContext.BaseDirectory);

    /// <summary><c>../shared</c> beside the repository (overridable with <c>PIPELINE_SHARED_DIR</c>).</summary>
    public static string Shared { get; } =
        Environment.GetEnvironmentVariable("PIPELINE_SHARED_DIR") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);

    /// <summary>A <c>testdata/</c> file beside the tests, copied to the output folder.</summary>
    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "testdata", .. parts]);
}

/// <summary>A temporary directory deleted when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string? prefix = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix ?? "pipelines-test"}-{Guid.NewGuid():N}"[..^20]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
