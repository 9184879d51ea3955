using System.Formats.Tar;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;

namespace Pipelines.Scanning;

/// <summary>
/// Runs Trivy's image through the Docker Engine API: pull it when the daemon lacks it, create a container
/// with the scan's arguments and environment, copy its input in, wait (bounded by the run's timeout), collect
/// the logs, copy its output back and always remove the container. Used only when no <c>trivy</c> binary is installed.
/// Nothing of this machine is bind-mounted: the daemon may be on another filesystem (a dind sidecar in a Tekton pod,
/// a remote DOCKER_HOST), where a bind names a path it lacks and silently gets an empty folder. Files move with the
/// archive API, which every daemon serves; the cache is a named volume on the daemon's side.
/// </summary>
internal sealed class DockerTrivyRunner(DockerEngine docker) : ITrivyContainerRunner
{
    /// <summary>Marks the containers this runner starts, so a cleanup can find leftovers.</summary>
    public const string Label = "local.pipelines.scan";

    /// <summary>
    /// The volume holding Trivy's cache, kept between runs as the host cache folder was: the vulnerability database is
    /// hundreds of MB, downloaded again on every scan without it (and rate-limited by its registry).
    /// </summary>
    public const string CacheVolume = "pipelines-trivy-cache";

    /// <summary>True when a Docker engine answers, so the Trivy container fallback can run.</summary>
    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await docker.NegotiateAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is PipelineException or HttpRequestException or IOException)
        {
            return false;
        }
    }

    /// <summary>Runs Trivy in a container with the cache volume mounted and the run's files copied in and out, and returns its exit code and output.</summary>
    public async Task<TrivyContainerResult> RunAsync(TrivyContainerRun run, ILog log, CancellationToken cancellationToken)
    {
        await EnsureImageAsync(run.Image, log, cancellationToken);
        // Creating an existing volume returns it: the cache survives between runs on purpose (see CacheVolume).
        await docker.CreateVolumeAsync(CacheVolume, new Dictionary<string, string> { [Label] = "trivy" }, cancellationToken);
        var spec = ContainerSpecFor(run);
        string id;
        try
        {
            id = await docker.CreateContainerAsync(spec, cancellationToken);
        }
        catch (Exception e) when (DockerEngine.IsMissingMountSource(e))
        {
            id = await docker.CreateContainerAsync(spec with { StrictBinds = [] }, cancellationToken);
        }
        try
        {
            await CopyInAsync(id, run.Copies, cancellationToken);
            await docker.StartContainerAsync(id, cancellationToken);
            // The wait is raced against the timeout rather than cancelled: once the daemon has answered the
            // headers, DockerEngine reads the body without observing the token. Removing the container (below)
            // ends the wait either way.
            var wait = docker.WaitContainerAsync(id, cancellationToken);
            var finished = await Task.WhenAny(wait, Task.Delay(run.Timeout, cancellationToken));
            if (finished != wait)
            {
                _ = wait.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"Trivy's container did not finish within {run.Timeout}.");
            }
            var exitCode = await wait;

            foreach (var copy in run.Copies.Where(c => c.CopyBack))
                await CopyBackAsync(id, copy, cancellationToken);

            var logs = await docker.GetContainerLogsAsync(id, cancellationToken);
            // Trivy logs on stderr; stdout carries the answer (the version JSON).
            foreach (var line in logs.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                log.Info(line.TrimEnd('\r'));
            return new TrivyContainerResult((int)exitCode, logs.StandardOutput, logs.StandardError);
        }
        finally
        {
            // Removed even after a timeout or cancellation; it holds the credentials in its environment.
            await docker.RemoveContainerAsync(id, CancellationToken.None);
        }
    }

    /// <summary>The container for <paramref name="run"/>: the cache volume and the daemon's socket, no path of this machine.</summary>
    internal static ContainerSpec ContainerSpecFor(TrivyContainerRun run) =>
        new ContainerSpec(run.Image)
        {
            Command = run.Arguments,
            Environment = run.Environment.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!),
            Binds = [$"{CacheVolume}:{TrivyContainerRun.CachePath}"],
            // Trivy reads images from the daemon first, then the registry. A bind source is a path on the daemon's host,
            // so the socket is valid there exactly when the daemon's host has it (a dind daemon listens on it besides TCP);
            // the strict mount fails the create when it is missing instead of making an empty folder, and Trivy then
            // reads from the registry alone.
            StrictBinds = [new(TrivyContainerRun.DockerSocket, TrivyContainerRun.DockerSocket)],
            Labels = new Dictionary<string, string> { [Label] = "trivy" },
        };

    /// <summary>One tar of every copy, extracted at the container's root (the archive API needs an existing folder, and / is one).</summary>
    private async Task CopyInAsync(string id, IReadOnlyList<TrivyContainerCopy> copies, CancellationToken cancellationToken)
    {
        if (copies.Count == 0) return;
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var copy in copies)
            {
                var target = copy.ContainerPath.TrimStart('/');
                // Parent folders first: the archive API creates what the entries name, nothing more.
                var parts = target.Split('/');
                for (var i = 1; i < parts.Length; i++)
                    if (written.Add(string.Join('/', parts[..i])))
                        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, string.Join('/', parts[..i]) + "/") { Mode = FolderMode }, cancellationToken);
                if (File.Exists(copy.HostPath))
                {
                    await writer.WriteEntryAsync(copy.HostPath, target, cancellationToken);
                    continue;
                }
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, target + "/") { Mode = FolderMode }, cancellationToken);
                if (!Directory.Exists(copy.HostPath)) continue;
                foreach (var path in Directory.EnumerateFileSystemEntries(copy.HostPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var name = target + "/" + Path.GetRelativePath(copy.HostPath, path).Replace(Path.DirectorySeparatorChar, '/');
                    if (Directory.Exists(path)) await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = FolderMode }, cancellationToken);
                    else await writer.WriteEntryAsync(path, name, cancellationToken);
                }
            }
        }
        tar.Position = 0;
        await docker.PutContainerArchiveAsync(id, "/", tar, cancellationToken);
    }

    /// <summary>Extracts the container's copy of a folder over the host folder; entries that would leave it are refused.</summary>
    private async Task CopyBackAsync(string id, TrivyContainerCopy copy, CancellationToken cancellationToken)
    {
        await using var archive = await docker.GetContainerArchiveAsync(id, copy.ContainerPath, cancellationToken)
            ?? throw new PipelineException($"Trivy's container has no {copy.ContainerPath} to copy back to {copy.HostPath}; is --trivy-image a Trivy image?");
        var root = Path.GetFullPath(copy.HostPath);
        Directory.CreateDirectory(root);
        using var reader = new TarReader(archive);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            // The archive names the folder itself first (output/…): strip that segment.
            var slash = entry.Name.IndexOf('/');
            var relative = slash < 0 ? "" : entry.Name[(slash + 1)..].TrimEnd('/');
            if (relative.Length == 0) continue;
            var destination = Path.GetFullPath(Path.Combine(root, relative));
            if (!destination.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new PipelineException($"Trivy's container wrote {entry.Name}, outside {copy.ContainerPath}; refusing to copy it to {copy.HostPath}.");
            if (entry.EntryType == TarEntryType.Directory) Directory.CreateDirectory(destination);
            else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                await using var file = File.Create(destination);
                if (entry.DataStream is { } data) await data.CopyToAsync(file, cancellationToken);
            }
        }
    }

    /// <summary>rwxrwxrwx: Trivy's image may run as a user other than root, and the folders are the container's own.</summary>
    private const UnixFileMode FolderMode = (UnixFileMode)0b111_111_111;

    private async Task EnsureImageAsync(string image, ILog log, CancellationToken cancellationToken)
    {
        if (await docker.InspectImageAsync(image, cancellationToken) is not null) return;
        var reference = ImageReference.Parse(image);
        log.Info($"Pulling {image} to run Trivy.");
        try
        {
            await docker.PullImageAsync(reference.WithoutTagOrDigest().ToString(), reference.Digest ?? reference.Tag ?? "latest", cancellationToken: cancellationToken);
        }
        catch (PipelineException e)
        {
            throw new PipelineException($"Trivy is not installed and its image {image} could not be pulled ({e.Message}): {TrivyScanner.InstallHint}.", e);
        }
    }
}
