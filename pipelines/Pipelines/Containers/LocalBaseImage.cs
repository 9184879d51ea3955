using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Pipelines.Docker;
using Pipelines.Logging;

namespace Pipelines.Containers;

/// <summary>
/// A runtime base for self-contained .NET apps assembled from this host's glibc, for when the real base
/// (the chiseled <c>runtime-deps</c> image) can be neither found locally nor pulled. It holds the libraries a
/// self-contained app links (as <c>ldd</c> lists them), <c>/etc/passwd</c> and <c>/etc/group</c> with the
/// non-root user <c>app</c> (uid 1654, as in the chiseled images) and a world-writable <c>/tmp</c>. It is
/// for local use only: it carries the host's library versions, not a maintained distribution's.
/// </summary>
internal sealed class LocalBaseImage(DockerEngine docker, ILog log)
{
    // The build context's temporary folder (see TemporaryFolders): a killed run's is removed by the next assembly.
    private const string ContextPrefix = "pipelines-base-";

    /// <summary>The tag the base is built under.</summary>
    public const string DefaultTag = "pipelines.local/runtime-deps:host-glibc";

    /// <summary>The label holding a hash of the base's inputs, so an unchanged base is not rebuilt.</summary>
    public const string InputsLabel = "local.pipelines.base.inputs";

    /// <summary>The uid and gid of the non-root user, as in Microsoft's chiseled images.</summary>
    public const int AppUid = 1654;

    /// <summary>
    /// The libraries (sonames) a self-contained .NET app loads besides its own: what <c>ldd</c> lists for the
    /// apphost and the runtime's native libraries, plus OpenSSL 3, which the runtime loads on first use
    /// (random numbers, hashing, TLS).
    /// </summary>
    public static readonly IReadOnlyList<string> Libraries =
        ["libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libssl.so.3", "libcrypto.so.3"];

    private static readonly string[] SearchDirectories = ["/lib/{0}", "/usr/lib/{0}", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    /// <summary>Builds the base (or re-uses it when its inputs have not changed) and returns its tag.</summary>
    public async Task<string> EnsureAsync(string tag = DefaultTag, CancellationToken cancellationToken = default)
    {
        var (triplet, loader, loaderPath) = Platform();
        var files = new List<(string Source, string Target)>
        {
            (Find(loader, triplet), loaderPath.TrimStart('/')),
        };
        files.AddRange(Libraries.Select(name => (Find(name, triplet), $"lib/{triplet}/{name}")));
        var inputs = Hash(files);

        var existing = await docker.InspectImageAsync(tag, cancellationToken);
        if (existing is not null && existing.Labels.GetValueOrDefault(InputsLabel) == inputs)
        {
            log.Debug($"Local base {tag} is current ({existing.Id[..19]}).");
            return tag;
        }

        TemporaryFolders.RemoveStale(ContextPrefix);
        var context = TemporaryFolders.New(ContextPrefix, create: false);
        try
        {
            WriteContext(context, files);
            log.Info($"Assembling the local base {tag} from this host's glibc ({string.Join(", ", files.Select(f => Path.GetFileName(f.Target)))})");
            await docker.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(context, "Dockerfile"))
            {
                Tags = [tag],
                Labels = new Dictionary<string, string>
                {
                    [InputsLabel] = inputs,
                    ["org.opencontainers.image.title"] = "runtime-deps (host glibc, local use only)",
                },
            }, cancellationToken);
            return tag;
        }
        finally
        {
            TemporaryFolders.Delete(context);
        }
    }

    private static void WriteContext(string context, IReadOnlyList<(string Source, string Target)> files)
    {
        var rootfs = Path.Combine(context, "rootfs");
        foreach (var (source, target) in files)
        {
            var destination = Path.Combine(rootfs, target);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(destination, (UnixFileMode)0b111_101_101);
        }
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"),
            $"root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:{AppUid}:{AppUid}:app:/home/app:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "group"), $"root:x:0:\napp:x:{AppUid}:\n");
        var tmp = Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
        // 1777: every user may create files, only the owner may delete them. (Modes need a Unix host.)
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp.FullName, (UnixFileMode)0b1_111_111_111);
        Directory.CreateDirectory(Path.Combine(context, "home", "app"));

        // Fixed timestamps: the same host libraries give the same layers, so rebuilds hit the cache.
        foreach (var path in Directory.EnumerateFileSystemEntries(context, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length))
            File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch);

        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"""
            FROM scratch
            COPY rootfs/ /
            COPY --chown={AppUid}:{AppUid} home/ /home/
            ENV APP_UID={AppUid} ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true
            USER {AppUid}

            """);
    }

    private static (string Triplet, string Loader, string LoaderPath) Platform() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => ("x86_64-linux-gnu", "ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2"),
        Architecture.Arm64 => ("aarch64-linux-gnu", "ld-linux-aarch64.so.1", "/lib/ld-linux-aarch64.so.1"),
        var other => throw new PipelineException($"A local base image can only be assembled on x64 or arm64 Linux (this host is {other}): pass --base-image."),
    };

    private static string Find(string soname, string triplet)
    {
        foreach (var pattern in SearchDirectories)
        {
            var candidate = Path.Combine(string.Format(pattern, triplet), soname);
            if (File.Exists(candidate)) return candidate;
        }
        throw new PipelineException($"{soname} was not found on this host, so no local base image can be assembled: pass --base-image with an image that holds the .NET runtime dependencies.");
    }

    private static string Hash(IEnumerable<(string Source, string Target)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes("v1\n"));
        foreach (var (source, target) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(target + "\n"));
            hash.AppendData(File.ReadAllBytes(source));
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
