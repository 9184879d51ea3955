namespace Repository.Tests;

/// <summary>
/// What Deploy relies on, checked before an image is built, for every app under manifests/apps/: the service has a
/// Dockerfile, and every environment's overlay has the images: entry Deploy edits (named after the service) and is
/// listed among the environment's apps. Add your services' own tests beside these.
/// </summary>
public class DeployablesTests
{
    private static readonly string Root = FindRoot(AppContext.BaseDirectory);

    private static readonly string[] Environments = ["dev", "staging", "prod"];

    /// <summary>The apps under manifests/apps/, one per service.</summary>
    public static TheoryData<string> Services => [.. Directory.GetDirectories(Path.Combine(Root, "manifests", "apps")).Select(d => Path.GetFileName(d)).Order()];

    [Theory]
    [MemberData(nameof(Services))]
    public void The_service_has_a_Dockerfile(string service) =>
        Assert.True(File.Exists(Path.Combine(Root, "src", service, "Dockerfile")), $"src/{service}/Dockerfile is missing");

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_environment_has_the_image_entry_Deploy_edits_and_lists_the_overlay(string service)
    {
        foreach (var environment in Environments)
        {
            var overlay = Path.Combine(Root, "manifests", "apps", service, "overlays", environment, "kustomization.yaml");
            var lines = File.ReadAllLines(overlay).Select(l => l.Trim()).ToList();
            Assert.Contains($"- name: {service}", lines);
            Assert.Contains(lines, l => l.StartsWith("digest:"));

            var listed = File.ReadAllLines(Path.Combine(Root, "manifests", "environments", environment, "kustomization.yaml")).Select(l => l.Trim());
            Assert.Contains($"- ../../apps/{service}/overlays/{environment}", listed);
        }
    }

    /// <summary>The repository root: the folder above the test's output that holds build/Build.csproj.</summary>
    private static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "build", "Build.csproj"))) return directory.FullName;
        throw new InvalidOperationException($"No build/Build.csproj above {start}.");
    }
}
