using System.Formats.Tar;
using Pipelines.Docker;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

/// <summary>The tar a build sends: what is in it, in which order, and where the Dockerfile goes.</summary>
public sealed class BuildContextSpecs : IDisposable
{
    private readonly TempDirectory _directory = new("context");

    [Fact]
    public async Task Entries_come_in_ordinal_path_order_so_the_same_folder_gives_the_same_archive()
    {
        Directory.CreateDirectory(_directory.Combine("b"));
        File.WriteAllText(_directory.Combine("b", "z.txt"), "z");
        File.WriteAllText(_directory.Combine("a.txt"), "a");
        File.WriteAllText(_directory.Combine("B.txt"), "B");
        File.WriteAllText(_directory.Combine("Dockerfile"), "FROM scratch\n");

        var context = BuildContext.Create(_directory.Path, "Dockerfile");

        Assert.Equal(["B.txt", "Dockerfile", "a.txt", "b", "b/z.txt"], context.Paths);
        Assert.Equal(await ArchiveAsync(context), await ArchiveAsync(BuildContext.Create(_directory.Path, "Dockerfile")));
    }

    [Fact]
    public async Task The_dockerfile_and_dockerignore_are_sent_even_when_ignored()
    {
        File.WriteAllText(_directory.Combine("Dockerfile"), "FROM scratch\n");
        File.WriteAllText(_directory.Combine("data.txt"), "x");
        File.WriteAllText(_directory.Combine(".dockerignore"), "*\n");

        var context = BuildContext.Create(_directory.Path, "Dockerfile");

        Assert.Equal([".dockerignore", "Dockerfile"], context.Paths);
        Assert.Equal([".dockerignore", "Dockerfile"], await NamesAsync(context));
    }

    [Fact]
    public async Task A_dockerfile_outside_the_context_is_added_under_a_content_derived_name()
    {
        Directory.CreateDirectory(_directory.Combine("ctx"));
        File.WriteAllText(_directory.Combine("ctx", "app.txt"), "x");
        File.WriteAllText(_directory.Combine("Dockerfile"), "FROM scratch\nCOPY app.txt /\n");

        var context = BuildContext.Create(_directory.Combine("ctx"), _directory.Combine("Dockerfile"));

        Assert.Matches("^\\.dockerfile\\.[0-9a-f]{12}$", context.DockerfilePath);
        Assert.Equal(["app.txt", context.DockerfilePath], await NamesAsync(context));
    }

    [Fact]
    public void A_missing_dockerfile_names_the_path_and_the_parameter()
    {
        var error = Assert.Throws<PipelineException>(() => BuildContext.Create(_directory.Path, "nope/Dockerfile"));

        Assert.Contains(_directory.Combine("nope", "Dockerfile"), error.Message);
        Assert.Contains("--dockerfile", error.Message);
    }

    private static async Task<byte[]> ArchiveAsync(BuildContext context)
    {
        using var buffer = new MemoryStream();
        await context.WriteAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task<List<string>> NamesAsync(BuildContext context)
    {
        using var buffer = new MemoryStream(await ArchiveAsync(context));
        var names = new List<string>();
        await using var reader = new TarReader(buffer);
        while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        return names;
    }

    public void Dispose() => _directory.Dispose();
}
