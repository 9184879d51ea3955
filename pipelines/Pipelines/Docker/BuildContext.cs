using System.Formats.Tar;
using System.Security.Cryptography;

namespace Pipelines.Docker;

/// <summary>
/// The files a build sends to the daemon: the context folder minus what <c>.dockerignore</c> excludes, in
/// ordinal path order so that the same folder always gives the same archive. The Dockerfile and
/// <c>.dockerignore</c> are always sent (as the docker CLI does); a Dockerfile outside the context is added
/// under a content-derived name.
/// </summary>
internal sealed class BuildContext
{
    private readonly IReadOnlyList<Entry> _entries;
    private readonly byte[]? _externalDockerfile;

    private BuildContext(string directory, IReadOnlyList<Entry> entries, string dockerfile, byte[]? externalDockerfile)
    {
        Directory = directory;
        _entries = entries;
        DockerfilePath = dockerfile;
        _externalDockerfile = externalDockerfile;
    }

    /// <summary>The context folder.</summary>
    public string Directory { get; }

    /// <summary>The Dockerfile's path inside the archive (the <c>dockerfile</c> build parameter).</summary>
    public string DockerfilePath { get; }

    /// <summary>The archive's entries: relative, <c>/</c>-separated, folders without a trailing slash.</summary>
    public IReadOnlyList<string> Paths => _entries.Select(e => e.Path).ToList();

    /// <summary>Lists the context of <paramref name="contextDirectory"/> built with <paramref name="dockerfile"/>.</summary>
    public static BuildContext Create(string contextDirectory, string dockerfile)
    {
        var root = Path.GetFullPath(contextDirectory);
        if (!System.IO.Directory.Exists(root))
            throw new PipelineException($"The build context {root} does not exist: pass --context with an existing folder.");
        var dockerfileFull = Path.GetFullPath(dockerfile, root);
        if (!File.Exists(dockerfileFull))
            throw new PipelineException($"The Dockerfile {dockerfileFull} does not exist: pass --dockerfile with an existing file.");

        var ignore = DockerIgnore.Load(root);
        var entries = new List<Entry>();
        Walk(root, "", ignore, entries);

        var relative = Path.GetRelativePath(root, dockerfileFull).Replace(Path.DirectorySeparatorChar, '/');
        byte[]? external = null;
        if (relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative))
        {
            external = File.ReadAllBytes(dockerfileFull);
            relative = ".dockerfile." + Convert.ToHexStringLower(SHA256.HashData(external))[..12];
        }
        else
        {
            AddIfMissing(entries, root, relative);
        }
        if (File.Exists(Path.Combine(root, ".dockerignore"))) AddIfMissing(entries, root, ".dockerignore");
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new BuildContext(root, entries, relative, external);
    }

    private static void Walk(string root, string prefix, DockerIgnore ignore, List<Entry> entries)
    {
        var directory = prefix.Length == 0 ? root : Path.Combine(root, prefix);
        foreach (var info in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var path = prefix.Length == 0 ? info.Name : prefix + "/" + info.Name;
            var excluded = ignore.IsExcluded(path);
            var isDirectory = info is DirectoryInfo && info.LinkTarget is null;
            if (!excluded) entries.Add(new Entry(path, info.FullName));
            // An excluded folder is walked only when an exception could bring something inside back.
            if (isDirectory && (!excluded || ignore.MayIncludeUnder(path))) Walk(root, path, ignore, entries);
        }
    }

    private static void AddIfMissing(List<Entry> entries, string root, string relative)
    {
        if (entries.Any(e => e.Path == relative)) return;
        entries.Add(new Entry(relative, Path.Combine(root, relative)));
    }

    /// <summary>Writes the context as an uncompressed tar to <paramref name="destination"/>, file by file.</summary>
    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in _entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WriteEntryAsync(writer, entry, cancellationToken);
        }
        if (_externalDockerfile is { } content)
        {
            var dockerfile = Header(TarEntryType.RegularFile, DockerfilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, DateTimeOffset.UnixEpoch);
            dockerfile.DataStream = new MemoryStream(content);
            await writer.WriteEntryAsync(dockerfile, cancellationToken);
        }
    }

    private static async Task WriteEntryAsync(TarWriter writer, Entry entry, CancellationToken cancellationToken)
    {
        var info = new FileInfo(entry.FullPath);
        var attributes = File.GetAttributes(entry.FullPath);
        var mode = OperatingSystem.IsWindows() ? DefaultMode(attributes) : File.GetUnixFileMode(entry.FullPath);
        var modified = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        if (info.LinkTarget is { } target)
        {
            await writer.WriteEntryAsync(Header(TarEntryType.SymbolicLink, entry.Path, mode, modified, target), cancellationToken);
        }
        else if (attributes.HasFlag(FileAttributes.Directory))
        {
            await writer.WriteEntryAsync(Header(TarEntryType.Directory, entry.Path + "/", mode, modified), cancellationToken);
        }
        else
        {
            var file = Header(TarEntryType.RegularFile, entry.Path, mode, modified);
            await using var content = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
            file.DataStream = content;
            await writer.WriteEntryAsync(file, cancellationToken);
        }
    }

    // Owner root, no user or group names: the daemon sets ownership in the image, and host ids would leak.
    private static PaxTarEntry Header(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset modified, string? link = null)
    {
        var entry = new PaxTarEntry(type, name) { Mode = mode, ModificationTime = modified, Uid = 0, Gid = 0 };
        if (link is not null) entry.LinkName = link;
        return entry;
    }

    private static UnixFileMode DefaultMode(FileAttributes attributes) => attributes.HasFlag(FileAttributes.Directory)
        ? (UnixFileMode)0b111_101_101
        : (UnixFileMode)0b110_100_100;

    private sealed record Entry(string Path, string FullPath);
}
