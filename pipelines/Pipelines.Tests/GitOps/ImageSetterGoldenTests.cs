using System.Text;
using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitOps;

/// <summary>
/// Golden files: <c>testdata/gitops/&lt;case&gt;/</c> is copied, the setter runs, and every file must equal
/// <c>&lt;case&gt;-expected/</c> byte for byte.
/// </summary>
public sealed class ImageSetterGoldenTests
{
    internal const string Digest = "sha256:6c1975b871efb327528c84d46d38e6dd7906eecee6402bc270eeb7f1b1a506df";

    internal static readonly ImageSetterOptions Options = new(["image"], ["flux-system:shortlink"]);

    [Theory]
    [InlineData("kustomization", "shortlink")]
    [InlineData("kustomization-crlf", "shortlink")]
    [InlineData("kustomization-flow", "shortlink")]
    [InlineData("workloads", "shortlink")]
    [InlineData("helm", "shortlink")]
    [InlineData("markers", "ghcr.io/acme/shortlink")]
    public void The_setter_changes_only_the_target_values(string @case, string name)
    {
        // Arrange
        using var work = new TempDirectory("gitops-setter");
        CopyFolder(TestPaths.TestData("gitops", @case), work.Path);
        var setter = new ImageSetter(Options, new MemoryLog());

        // Act
        var result = setter.Update(work.Path, new ImageUpdate(name, "127.0.0.1:5000/shortlink", "1.4.0", Digest));

        // Assert
        Assert.NotEmpty(result.Changes);
        AssertSameFiles(TestPaths.TestData("gitops", @case + "-expected"), work.Path);
    }

    [Theory]
    [InlineData("kustomization", "shortlink")]
    [InlineData("workloads", "shortlink")]
    [InlineData("helm", "shortlink")]
    [InlineData("markers", "ghcr.io/acme/shortlink")]
    public void Setting_the_same_image_twice_changes_nothing_the_second_time(string @case, string name)
    {
        // Arrange
        using var work = new TempDirectory("gitops-setter");
        CopyFolder(TestPaths.TestData("gitops", @case), work.Path);
        var setter = new ImageSetter(Options, new MemoryLog());
        var update = new ImageUpdate(name, "127.0.0.1:5000/shortlink", "1.4.0", Digest);
        setter.Update(work.Path, update);

        // Act
        var again = setter.Update(work.Path, update);

        // Assert
        Assert.True(again.UpToDate);
        Assert.NotEmpty(again.References);
        AssertSameFiles(TestPaths.TestData("gitops", @case + "-expected"), work.Path);
    }

    [Fact]
    public void The_flux_golden_pair_changes_only_the_marked_line()
    {
        // Arrange: Flux's own setter test data; the policy resolves to index.repo.fake/updated:v1.0.1.
        using var work = new TempDirectory("gitops-setter");
        // The bytes, not the file: the shared copy is read-only, and only root could then edit it (the Test Task runs as uid 1654).
        File.WriteAllBytes(work.Combine("marked.yaml"), File.ReadAllBytes(TestPaths.SharedFile("ref", "flux", "iac-setters-marked.original.yaml")));
        var setter = new ImageSetter(new ImageSetterOptions([], ["automation-ns:policy"]), new MemoryLog());

        // Act
        var result = setter.Update(work.Path, new ImageUpdate("index.repo.fake/updated", null, "v1.0.1", null));

        // Assert
        Assert.Equal(
            File.ReadAllBytes(TestPaths.SharedFile("ref", "flux", "iac-setters-marked.expected.yaml")),
            File.ReadAllBytes(work.Combine("marked.yaml")));
        var change = Assert.Single(result.Changes);
        Assert.Equal(14, change.Line);
        Assert.Equal("image:v1.0.0", change.OldValue);
    }

    internal static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    internal static void AssertSameFiles(string expectedFolder, string actualFolder)
    {
        static List<string> Files(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Files(expectedFolder), Files(actualFolder));
        foreach (var file in Files(expectedFolder))
        {
            var expected = File.ReadAllBytes(Path.Combine(expectedFolder, file));
            var actual = File.ReadAllBytes(Path.Combine(actualFolder, file));
            // Compare as text first for a readable diff; then the bytes (CRLF, BOM).
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Equal(expected, actual);
        }
    }
}
