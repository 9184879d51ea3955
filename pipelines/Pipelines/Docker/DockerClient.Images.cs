using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Pipelines.Containers;
using Pipelines.Hosts;
using Pipelines.Registry;

namespace Pipelines.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// Builds an image with the classic builder (<c>POST /build</c>), streaming the context as a tar and the
    /// progress to the log line by line. A failing step throws a <see cref="DockerStreamException"/> naming it.
    /// </summary>
    public async Task<ImageBuildResult> BuildImageAsync(ImageBuildRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder()
            .Add("dockerfile", request.Context.DockerfilePath)
            .Add("t", request.Tags)
            .AddJson("buildargs", request.BuildArgs)
            .AddJson("labels", request.Labels)
            .Add("target", request.Target)
            .Add("platform", request.Platform)
            .Add("pull", request.Pull ? "1" : null)
            .Add("nocache", request.NoCache ? "1" : null)
            .Add("rm", "1")
            .Add("forcerm", "1");
        var content = new TarContent(request.Context);
        using var response = await SendAsync(HttpMethod.Post, "build" + query, content, $"Building {request.Context.DockerfilePath}", cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var outcome = await DockerProgress.ReadAsync(stream, _log, (step, message) => new DockerStreamException(
            step is null
                ? $"The image build failed before any Dockerfile step: {message}"
                : $"The image build failed at `{step}` in {request.Context.DockerfilePath}: {message}",
            step, message), cancellationToken);

        var id = outcome.Aux.Select(a => a.TryGetProperty("ID", out var value) ? value.GetString() : null).LastOrDefault(i => i is not null)
            ?? throw new PipelineException($"The Docker daemon finished building {request.Context.DockerfilePath} without reporting an image ID; see the build output above.");
        return new ImageBuildResult(id, outcome.CachedSteps);
    }

    /// <summary>Adds <c>repository:tag</c> to an image (<c>POST /images/{name}/tag</c>).</summary>
    public async Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder().Add("repo", repository).Add("tag", tag);
        using var _ = await SendAsync(HttpMethod.Post, $"images/{Uri.EscapeDataString(image)}/tag{query}", null, $"Tagging {image} as {repository}:{tag}", cancellationToken);
    }

    /// <summary>
    /// Pushes <c>repository:tag</c> (<c>POST /images/{name}/push</c>); the daemon uploads only the layers the
    /// registry lacks. Returns the manifest digest the registry stored.
    /// </summary>
    public async Task<PushResult> PushImageAsync(string repository, string tag, RegistryAuth auth, CancellationToken cancellationToken = default)
    {
        var headers = new Dictionary<string, string> { ["X-Registry-Auth"] = auth.ToHeader() };
        var query = new QueryBuilder().Add("tag", tag);
        var what = $"Pushing {repository}:{tag}";
        using var response = await SendAsync(HttpMethod.Post, $"images/{Uri.EscapeDataString(repository)}/push{query}", null, what, cancellationToken, headers);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var outcome = await DockerProgress.ReadAsync(stream, _log, (_, message) => new DockerStreamException(
            $"The push of {repository}:{tag} as {auth} failed: {message}{PushHint(message)}", null, message), cancellationToken);

        var result = outcome.Aux.LastOrDefault(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("Digest", out _));
        if (result.ValueKind != JsonValueKind.Object)
            throw new PipelineException($"The Docker daemon pushed {repository}:{tag} without reporting a digest; see the push output above.");
        return new PushResult(
            result.TryGetProperty("Tag", out var pushedTag) ? pushedTag.GetString() ?? tag : tag,
            result.GetProperty("Digest").GetString()!,
            result.TryGetProperty("Size", out var size) ? size.GetInt64() : 0,
            outcome.Statuses.Count(s => s.EndsWith(": Pushed", StringComparison.Ordinal)),
            outcome.Statuses.Count(s => s.EndsWith(": Layer already exists", StringComparison.Ordinal) || s.Contains(": Mounted from ", StringComparison.Ordinal)));
    }

    private static string PushHint(string message) =>
        message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase) || message.Contains("authentication required", StringComparison.OrdinalIgnoreCase)
            ? ". Check --registry-username and --registry-password (or the registry's entry in ~/.docker/config.json)."
            : message.Contains("connection refused", StringComparison.OrdinalIgnoreCase)
                ? ". Check that the registry runs and --registry names it."
                : ".";

    /// <summary>Pulls <c>image:tag</c> (<c>POST /images/create</c>); the progress goes to the log.</summary>
    public async Task PullImageAsync(string image, string tag, RegistryAuth? auth = null, CancellationToken cancellationToken = default)
    {
        var headers = auth is null ? null : new Dictionary<string, string> { ["X-Registry-Auth"] = auth.ToHeader() };
        var query = new QueryBuilder().Add("fromImage", image).Add("tag", tag);
        using var response = await SendAsync(HttpMethod.Post, "images/create" + query, null, $"Pulling {image}:{tag}", cancellationToken, headers);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await DockerProgress.ReadAsync(stream, _log, (_, message) => new DockerStreamException($"The pull of {image}:{tag} failed: {message}.", null, message), cancellationToken);
    }

    /// <summary>The image's ID, tags, digests, labels and layers; null when the daemon has no such image.</summary>
    public async Task<ImageInspection?> InspectImageAsync(string image, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"images/{Uri.EscapeDataString(image)}/json", null, $"Inspecting {image}", cancellationToken, allowNotFound: true);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var root = document.RootElement;
        return new ImageInspection(
            root.GetProperty("Id").GetString()!,
            Strings(root, "RepoTags"),
            Strings(root, "RepoDigests"),
            root.TryGetProperty("Config", out var config) && config.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
                ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
                : new Dictionary<string, string>(),
            root.TryGetProperty("RootFS", out var rootfs) ? Strings(rootfs, "Layers") : []);
    }

    /// <summary>Removes an image (<c>DELETE /images/{name}</c>); no error when it is already gone.</summary>
    public async Task RemoveImageAsync(string image, bool force = false, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder().Add("force", force ? "1" : null);
        using var _ = await SendAsync(HttpMethod.Delete, $"images/{Uri.EscapeDataString(image)}{query}", null, $"Removing {image}", cancellationToken, allowNotFound: true);
    }

    private static IReadOnlyList<string> Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(v => v.GetString() ?? "").ToList()
            : [];

    /// <summary>The build context written straight to the request body, without buffering it in memory.</summary>
    private sealed class TarContent : HttpContent
    {
        private readonly BuildContext _context;

        public TarContent(BuildContext context)
        {
            _context = context;
            Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            // Tar writes 512-byte headers one by one; unbuffered, each would become its own HTTP chunk and syscall.
            var buffered = new BufferedStream(stream, 1 << 20);
            await _context.WriteAsync(buffered, cancellationToken);
            await buffered.FlushAsync(cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
