namespace Repository.Tests;

/// <summary>
/// What Deploy relies on, checked before an image is built: the service has a Dockerfile, and every environment's
/// overlay has the images: entry Deploy edits (named after the service). Add your service's own tests beside these.
/// </summary>
public class DeployablesTests
{
    private const string Service = "example-service";

    private static readonly string Root = FindRoot(AppContext.BaseDirectory);

    [Fact]
    public void The_service_has_a_Dockerfile() =>
        Assert.True(File.Exists(Path.Combine(Root, "src", Service, "Dockerfile")), $"src/{Service}/Dockerfile is missing");

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_environment_has_the_image_entry_Deploy_edits(string environment)
    {
        var overlay = Path.Combine(Root, "manifests", "apps", Service, "overlays", environment, "kustomization.yaml");

        var lines = File.ReadAllLines(overlay).Select(l => l.Trim()).ToList();

        Assert.Contains($"- name: {Service}", lines);
        Assert.Contains(lines, l => l.StartsWith("digest:"));
    }

    /// <summary>The repository root: the folder above the test's output that holds build/Build.csproj.</summary>
    private static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "build", "Build.csproj"))) return directory.FullName;
        throw new InvalidOperationException($"No build/Build.csproj above {start}.");
    }
}
