using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Pipelines.TektonLocal;

/// <summary>
/// The Docker Engine calls the local runner makes, through Docker.DotNet.Enhanced. Everything it creates
/// carries the run's label, so <see cref="RemoveRunAsync"/> finds and removes it on every exit path.
/// </summary>
internal sealed class LocalEngine : IDisposable
{
    public const string RunLabel = "local.pipelines.tekton-run";

    private LocalEngine(DockerClient client, string endpoint)
    {
        Client = client;
        Endpoint = endpoint;
    }

    public DockerClient Client { get; }
    public string Endpoint { get; }

    /// <summary>Connects to DOCKER_HOST (else the local socket) at an API version the engine speaks; a clear error when there is no engine.</summary>
    public static async Task<LocalEngine> ConnectAsync(string? dockerHost, CancellationToken cancellationToken)
    {
        var endpoint = string.IsNullOrEmpty(dockerHost) ? "unix:///var/run/docker.sock" : dockerHost;
        var missing = $"No Docker engine answers at {endpoint}: start Docker (or set DOCKER_HOST to a running engine) and run again.";
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            throw new PipelineException($"DOCKER_HOST \"{endpoint}\" is not a URI (unix:///var/run/docker.sock, tcp://host:2375): fix DOCKER_HOST.");
        if (uri.Scheme == "unix" && !File.Exists(uri.LocalPath)) throw new PipelineException(missing);
        // The engine's own /version is answered at any API version; it names the newest one it speaks.
        System.Version api;
        try
        {
            using var probe = new DockerClientBuilder().WithEndpoint(uri).WithApiVersion(new System.Version(1, 24)).Build();
            var version = await probe.System.GetVersionAsync(cancellationToken);
            api = System.Version.Parse(version.APIVersion);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PipelineException(missing, e);
        }
        var client = new DockerClientBuilder().WithEndpoint(uri).WithApiVersion(api).Build();
        return new LocalEngine(client, endpoint);
    }

    public async Task<bool> HasImageAsync(string image, CancellationToken cancellationToken)
    {
        try { await Client.Images.InspectImageAsync(image, cancellationToken); return true; }
        catch (DockerImageNotFoundException) { return false; }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound) { return false; }
    }

    public async Task<ImageInspectResponse> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        await Client.Images.InspectImageAsync(image, cancellationToken);

    /// <summary>Pulls an image; returns the engine's error text, or null when it arrived.</summary>
    public async Task<string?> PullAsync(string image, TimeSpan limit, CancellationToken cancellationToken)
    {
        var (repository, tag) = SplitReference(image);
        string? error = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await Client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null,
                new Inline<JSONMessage>(m => error ??= m.Error?.Message), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { error = $"no answer within {limit.TotalSeconds:0}s"; }
        catch (DockerApiException e) { error = e.ResponseBody is { Length: > 0 } body ? body.Trim() : e.Message; }
        if (error is null && !await HasImageAsync(image, cancellationToken)) error = "the engine reported no error but has no such image";
        return error;
    }

    /// <summary>Builds an image from a tar context; throws with the build's own error message.</summary>
    public async Task BuildAsync(Stream context, string dockerfile, string tag, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        string? error = null;
        await Client.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Dockerfile = dockerfile, Tags = [tag], Labels = labels.ToDictionary(), Remove = true, ForceRemove = true },
            context, null, null, new Inline<JSONMessage>(m => error ??= m.Error?.Message), cancellationToken);
        if (error is not null) throw new PipelineException($"Building {tag} failed: {error.Trim()}");
    }

    public async Task<string> CreateVolumeAsync(string name, string run, CancellationToken cancellationToken)
    {
        var volume = await Client.Volumes.CreateAsync(new VolumesCreateParameters { Name = name, Labels = new Dictionary<string, string> { [RunLabel] = run } }, cancellationToken);
        return volume.Name;
    }

    public async Task<string> CreateContainerAsync(CreateContainerParameters parameters, string run, CancellationToken cancellationToken)
    {
        parameters.Labels ??= new Dictionary<string, string>();
        parameters.Labels[RunLabel] = run;
        var created = await Client.Containers.CreateContainerAsync(parameters, cancellationToken);
        return created.ID;
    }

    /// <summary>Removes one container, ignoring one that is already gone.</summary>
    public async Task RemoveContainerAsync(string id)
    {
        try { await Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, CancellationToken.None); }
        catch (DockerContainerNotFoundException) { }
        catch (DockerApiException) { }
    }

    /// <summary>Reads the files of a folder in a container (its volumes included) through the archive API.</summary>
    public async Task<Dictionary<string, byte[]>> ReadFilesAsync(string container, string folder, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var archive = await Client.Containers.GetArchiveFromContainerAsync(container, new ContainerPathStatParameters { Path = folder }, false, cancellationToken);
        await using var stream = archive.Stream ?? Stream.Null;
        using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: true, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            using var buffer = new MemoryStream();
            await entry.DataStream.CopyToAsync(buffer, cancellationToken);
            files[Path.GetFileName(entry.Name)] = buffer.ToArray();
        }
        return files;
    }

    /// <summary>Removes every container and volume this run created: called on every exit path, Ctrl-C included.</summary>
    public async Task<int> RemoveRunAsync(string run)
    {
        var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{RunLabel}={run}"] = true } };
        var removed = 0;
        var containers = await Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, CancellationToken.None);
        foreach (var container in containers) { await RemoveContainerAsync(container.ID); removed++; }
        var volumes = await Client.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, CancellationToken.None);
        foreach (var volume in volumes.Volumes ?? [])
        {
            try { await Client.Volumes.RemoveAsync(volume.Name, true, CancellationToken.None); removed++; }
            catch (DockerApiException) { }
        }
        return removed;
    }

    public static (string Repository, string Tag) SplitReference(string image)
    {
        var at = image.IndexOf('@');
        if (at > 0) return (image[..at], image[(at + 1)..]);
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    public void Dispose() => Client.Dispose();

    /// <summary>An IProgress that reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    internal sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
