using System.Formats.Tar;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

/// <summary>The base assembled from the host's glibc: what it holds, and that programs run on it.</summary>
public sealed class LocalBaseImageSpecs : IDisposable
{
    private readonly MemoryLog _log = new();
    private readonly DockerEngine _docker;
    private readonly TempDirectory _context = new("base-ctx");

    public LocalBaseImageSpecs() => _docker = new DockerEngine(DockerEndpoint.FromEnvironment(), _log);

    [Fact]
    public async Task The_base_holds_the_glibc_libraries_a_non_root_user_and_a_sticky_tmp()
    {
        var tag = await new LocalBaseImage(_docker, _log).EnsureAsync();

        var entries = await EntriesAsync(tag, "/");

        Assert.Contains("/lib64/ld-linux-x86-64.so.2", entries.Keys);
        foreach (var library in LocalBaseImage.Libraries)
            Assert.Contains($"/lib/x86_64-linux-gnu/{library}", entries.Keys);
        Assert.Equal((UnixFileMode)0b1_111_111_111, entries["/tmp/"].Mode);
        var image = await _docker.InspectImageAsync(tag);
        Assert.NotNull(image);
        var passwd = await ReadFileAsync(tag, "/etc/passwd");
        Assert.Contains("app:x:1654:1654:", passwd);
    }

    [Fact]
    public async Task An_unchanged_base_is_not_rebuilt()
    {
        var images = new LocalBaseImage(_docker, _log);
        await images.EnsureAsync();
        var first = await _docker.InspectImageAsync(LocalBaseImage.DefaultTag);
        var log = new MemoryLog();

        await new LocalBaseImage(_docker, log).EnsureAsync();

        Assert.Equal(first!.Id, (await _docker.InspectImageAsync(LocalBaseImage.DefaultTag))!.Id);
        Assert.DoesNotContain(log.Lines, l => l.Message.StartsWith("Step "));
    }

    [Fact]
    public async Task A_failing_run_step_names_the_step_and_the_exit_code()
    {
        // The base has no shell, so RUN uses the exec form with the host's /usr/bin/false, which links only glibc.
        var tag = await new LocalBaseImage(_docker, _log).EnsureAsync();
        File.Copy("/usr/bin/false", _context.Combine("false"));
        File.WriteAllText(_context.Combine("Dockerfile"), $"FROM {tag}\nCOPY false /usr/local/bin/false\nRUN [\"/usr/local/bin/false\"]\nLABEL never=reached\n");

        var error = await Assert.ThrowsAsync<DockerStreamException>(() =>
            _docker.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(_context.Path, "Dockerfile"))));

        Assert.Equal("Step 3/4 : RUN [\"/usr/local/bin/false\"]", error.Step);
        Assert.Contains("returned a non-zero code: 1", error.DaemonMessage);
        Assert.Contains("Step 3/4 : RUN [\"/usr/local/bin/false\"]", error.Message);
        Assert.Contains("returned a non-zero code: 1", error.Message);
    }

    private async Task<Dictionary<string, TarEntry>> EntriesAsync(string image, string path)
    {
        var container = await _docker.CreateContainerAsync(new ContainerSpec(image) { Command = ["/none"] });
        try
        {
            await using var archive = await _docker.GetContainerArchiveAsync(container, path);
            var entries = new Dictionary<string, TarEntry>();
            await using var reader = new TarReader(archive!);
            while (await reader.GetNextEntryAsync(copyData: false) is { } entry)
                entries["/" + entry.Name.TrimStart('.', '/')] = entry;
            return entries;
        }
        finally
        {
            await _docker.RemoveContainerAsync(container);
        }
    }

    private async Task<string> ReadFileAsync(string image, string path)
    {
        var container = await _docker.CreateContainerAsync(new ContainerSpec(image) { Command = ["/none"] });
        try
        {
            await using var archive = await _docker.GetContainerArchiveAsync(container, path);
            await using var reader = new TarReader(archive!);
            var entry = await reader.GetNextEntryAsync(copyData: true);
            using var text = new StreamReader(entry!.DataStream!);
            return await text.ReadToEndAsync();
        }
        finally
        {
            await _docker.RemoveContainerAsync(container);
        }
    }

    public void Dispose()
    {
        _docker.Dispose();
        _context.Dispose();
    }
}
