using System.IO.Pipelines;
using System.Net;
using Docker.DotNet.Models;
using Pipelines.Oci;
using Engine = Docker.DotNet;

namespace Pipelines.Docker;

internal sealed partial class DockerEngine
{
    /// <summary>
    /// Builds an image with the classic builder, streaming the context as a tar (never held in memory whole)
    /// and the progress to the log line by line. A failing step throws a <see cref="DockerStreamException"/> naming it.
    /// </summary>
    public async Task<ImageBuildResult> BuildImageAsync(ImageBuildRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new ImageBuildParameters
        {
            Dockerfile = request.Context.DockerfilePath,
            Tags = request.Tags.ToList(),
            BuildArgs = request.BuildArgs.Count == 0 ? null : request.BuildArgs.ToDictionary(),
            Labels = request.Labels.Count == 0 ? null : request.Labels.ToDictionary(),
            Target = request.Target,
            Platform = request.Platform,
            Pull = request.Pull ? "1" : null,
            NoCache = request.NoCache ? true : null,
            Remove = true,
            ForceRemove = true,
        };
        return await BuildAsync(parameters, request.Context.DockerfilePath, request.Context.WriteAsync, cancellationToken);
    }

    /// <summary>
    /// Builds from a context already written as a tar (files a caller assembles, not a folder on disk), tagged
    /// <paramref name="tags"/>; the same progress and errors as <see cref="BuildImageAsync(ImageBuildRequest, CancellationToken)"/>.
    /// </summary>
    internal Task<ImageBuildResult> BuildImageAsync(Stream tar, string dockerfile, IReadOnlyList<string> tags, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        var parameters = new ImageBuildParameters
        {
            Dockerfile = dockerfile,
            Tags = tags.ToList(),
            Labels = labels.Count == 0 ? null : labels.ToDictionary(),
            Remove = true,
            ForceRemove = true,
        };
        return BuildAsync(parameters, dockerfile, (destination, token) => tar.CopyToAsync(destination, token), cancellationToken);
    }

    private async Task<ImageBuildResult> BuildAsync(ImageBuildParameters parameters, string dockerfile, Func<Stream, CancellationToken, Task> writeContext, CancellationToken cancellationToken)
    {
        var progress = new DockerProgress(_log);
        await CallAsync($"Building {dockerfile}", async client =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
            var writing = WriteContextAsync(writeContext, pipe.Writer, stop.Token);
            try
            {
                await using var tar = pipe.Reader.AsStream();
                await client.Images.BuildImageFromDockerfileAsync(parameters, tar, [], new Dictionary<string, string>(), progress, cancellationToken);
            }
            finally
            {
                await stop.CancelAsync();
                // A context that could not be read (a file vanished) is the news, not the broken upload: it surfaces here.
                try { await writing; }
                catch (OperationCanceledException) { }
            }
        }, cancellationToken);

        if (progress.Error is var (step, message))
            throw new DockerStreamException(
                step is null
                    ? $"The image build failed before any Dockerfile step: {message}"
                    : $"The image build failed at `{step}` in {dockerfile}: {message}",
                step, message);
        var id = progress.Aux.Select(a => a.GetValueOrDefault("ID")).LastOrDefault(i => i is { Length: > 0 })
            ?? throw new PipelineException($"The Docker daemon finished building {dockerfile} without reporting an image ID; see the build output above.");
        return new ImageBuildResult(id, progress.CachedSteps);
    }

    private static async Task WriteContextAsync(Func<Stream, CancellationToken, Task> writeContext, PipeWriter writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            // Tar writes 512-byte headers one by one; a buffer keeps them from becoming a flush each.
            await using (var buffered = new BufferedStream(writer.AsStream(leaveOpen: true), 1 << 20))
                await writeContext(buffered, cancellationToken);
            await writer.CompleteAsync();
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e);
            throw;
        }
    }

    /// <summary>Adds <c>repository:tag</c> to an image.</summary>
    public Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken = default) =>
        CallAsync($"Tagging {image} as {repository}:{tag}",
            client => client.Images.TagImageAsync(image, new ImageTagParameters { RepositoryName = repository, Tag = tag }, cancellationToken),
            cancellationToken);

    /// <summary>
    /// Pushes <c>repository:tag</c>; the daemon uploads only the layers the registry lacks. Returns the manifest
    /// digest the registry stored. A refused login or an unreachable registry names the registry and the fix.
    /// </summary>
    /// <param name="credential">Who pushes (<see cref="RegistryCredential.Anonymous"/> for nobody); sent to the registry host of <paramref name="repository"/>.</param>
    public async Task<PushResult> PushImageAsync(string repository, string tag, RegistryCredential credential, CancellationToken cancellationToken = default)
    {
        var progress = new DockerProgress(_log);
        var server = DockerAuth.ServerAddress(repository);
        await CallAsync($"Pushing {repository}:{tag}",
            client => client.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, DockerAuth.ToAuthConfig(credential, server), progress, cancellationToken),
            cancellationToken);
        if (progress.Error is var (_, message))
            throw new DockerStreamException($"The push of {repository}:{tag} to {server} as {credential} failed: {message}{PushHint(message)}", null, message);

        var result = progress.Aux.LastOrDefault(a => a.ContainsKey("Digest"))
            ?? throw new PipelineException($"The Docker daemon pushed {repository}:{tag} without reporting a digest; see the push output above.");
        return new PushResult(
            result.GetValueOrDefault("Tag") is { Length: > 0 } pushedTag ? pushedTag : tag,
            result["Digest"],
            long.TryParse(result.GetValueOrDefault("Size"), out var size) ? size : 0,
            progress.Statuses.Count(s => s.EndsWith(": Pushed", StringComparison.Ordinal)),
            progress.Statuses.Count(s => s.EndsWith(": Layer already exists", StringComparison.Ordinal) || s.Contains(": Mounted from ", StringComparison.Ordinal)));
    }

    /// <summary>
    /// True when the daemon keeps images in containerd's image store (<c>docker info</c>: driver-type
    /// io.containerd.snapshotter.v1, the default of fresh Docker 29 installs): there an image ID is a manifest digest
    /// and the export holds compressed blobs, not the classic store's config and layer diffs.
    /// </summary>
    public Task<bool> UsesContainerdImageStoreAsync(CancellationToken cancellationToken = default) =>
        CallAsync($"Reading the daemon's storage", async client =>
        {
            var info = await client.System.GetSystemInfoAsync(cancellationToken);
            return info.DriverStatus?.Any(pair => pair.Length == 2 && pair[0] == "driver-type" && pair[1].StartsWith("io.containerd.snapshotter", StringComparison.Ordinal)) == true;
        }, cancellationToken);

    private static string PushHint(string message) =>
        message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase) || message.Contains("authentication required", StringComparison.OrdinalIgnoreCase)
            ? ". Check --registry-username and --registry-password (or the registry's entry in ~/.docker/config.json)."
            : message.Contains("connection refused", StringComparison.OrdinalIgnoreCase)
                ? ". Check that the registry runs and --registry names it."
                : ".";

    /// <summary>Pulls <c>image:tag</c> (a digest in place of the tag pulls by digest); the progress goes to the log.</summary>
    public async Task PullImageAsync(string image, string tag, RegistryCredential? credential = null, CancellationToken cancellationToken = default)
    {
        var progress = new DockerProgress(_log);
        var auth = credential is null ? null : DockerAuth.ToAuthConfig(credential, DockerAuth.ServerAddress(image));
        await CallAsync($"Pulling {image}:{tag}",
            client => client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image, Tag = tag }, auth, progress, cancellationToken),
            cancellationToken);
        if (progress.Error is var (_, message))
            throw new DockerStreamException($"The pull of {image}:{tag} failed: {message}.", null, message);
    }

    /// <summary>The image's ID, tags, digests, labels and layers; null when the daemon has no such image.</summary>
    public Task<ImageInspection?> InspectImageAsync(string image, CancellationToken cancellationToken = default) =>
        CallAsync<ImageInspection?>($"Inspecting {image}", async client =>
        {
            ImageInspectResponse found;
            try
            {
                found = await client.Images.InspectImageAsync(image, cancellationToken);
            }
            catch (Engine.DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            return new ImageInspection(
                found.ID,
                found.RepoTags?.ToList() ?? [],
                found.RepoDigests?.ToList() ?? [],
                found.Config?.Labels?.ToDictionary() ?? new Dictionary<string, string>(),
                found.RootFS?.Layers?.ToList() ?? [])
            {
                Entrypoint = found.Config?.Entrypoint?.ToList() ?? [],
                Command = found.Config?.Cmd?.ToList() ?? [],
                User = found.Config?.User ?? "",
            };
        }, cancellationToken);

    /// <summary>The image as <c>docker save</c> writes it (<c>GET /images/{name}/get</c>): a tar of its config, layers and manifest.json.</summary>
    public Task<Stream> ExportImageAsync(string image, CancellationToken cancellationToken = default) =>
        CallAsync<Stream>($"Exporting {image}", async client => new EndTolerantStream(await client.Images.SaveImageAsync(image, cancellationToken)), cancellationToken);

    /// <summary>
    /// Removes an image's name; no error when it is already gone. Its untagged parent layers stay (<c>noprune</c>):
    /// another build running at the same time may be using them as its cache.
    /// </summary>
    public Task RemoveImageAsync(string image, bool force = false, CancellationToken cancellationToken = default) =>
        CallAsync($"Removing {image}", async client =>
        {
            try
            {
                await client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = force ? true : null, NoPrune = true }, cancellationToken);
            }
            catch (Engine.DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }, cancellationToken);
}
