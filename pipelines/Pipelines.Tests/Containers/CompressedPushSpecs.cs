using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

/// <summary>
/// Layers pushed compressed through the registry client, against a real registry and the real daemon: a small image
/// (the host's <c>echo</c> on the locally assembled base) so each compression gets its own build and push.
/// </summary>
public sealed class CompressedPushSpecs : IAsyncLifetime
{
    private readonly TempDirectory _storage = new("registry");
    private readonly TempDirectory _repository = new("compressed-push");
    private readonly TempDirectory _layerDigests = new("layer-digests");
    private readonly MemoryLog _log = new();
    private readonly MemoryLog _registryLog = new();
    private readonly DockerEngine _docker;
    private readonly List<string> _images = [];
    private LocalRegistry _registry = null!;
    private string _base = null!;

    public CompressedPushSpecs() => _docker = new DockerEngine(DockerEndpoint.FromEnvironment(), _log);

    public async Task InitializeAsync()
    {
        _registry = await RegistryFixture.StartRegistryAsync(_storage.Path, log: _registryLog);
        _base = await new LocalBaseImage(_docker, _log).EnsureAsync();
        File.Copy("/bin/echo", _repository.Combine("echo"));
        // Unique content: the image is new to the daemon, so a pull after removing it downloads every layer.
        await File.WriteAllTextAsync(_repository.Combine("run.txt"), Guid.NewGuid().ToString());
        await File.WriteAllTextAsync(_repository.Combine("Dockerfile"),
            "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY echo /echo\nCOPY run.txt /run.txt\nENTRYPOINT [\"/echo\"]\nCMD [\"pulled and ran\"]\n");
        await TestGit.RunAsync(_repository.Path, ["init", "-q", "-b", "main"]);
        await TestGit.RunAsync(_repository.Path, ["add", "-A"]);
        await TestGit.RunAsync(_repository.Path, ["commit", "-q", "-m", "Small image"]);
    }

    [Theory]
    [InlineData(LayerCompression.Gzip, "application/vnd.oci.image.layer.v1.tar+gzip")]
    [InlineData(LayerCompression.Zstd, "application/vnd.oci.image.layer.v1.tar+zstd")]
    public async Task Layers_go_up_compressed_under_their_compressed_digests_while_the_config_keeps_the_diff_ids(LayerCompression compression, string mediaType)
    {
        var built = await BuildAsync(compression);

        var manifest = await GetJsonAsync($"/v2/{built.Repository.Split('/', 2)[1]}/manifests/{built.Tags[0]}");
        var config = await GetJsonAsync($"/v2/{Name(built)}/blobs/{manifest.GetProperty("config").GetProperty("digest").GetString()}");
        var diffIds = config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Equal((await _docker.InspectImageAsync(built.ImageId))!.Layers, diffIds);
        var layers = manifest.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(diffIds.Count, layers.Count);
        foreach (var (layer, diffId) in layers.Zip(diffIds))
        {
            Assert.Equal(mediaType, layer.GetProperty("mediaType").GetString());
            var blob = await GetBytesAsync($"/v2/{Name(built)}/blobs/{layer.GetProperty("digest").GetString()}");
            Assert.Equal(layer.GetProperty("digest").GetString(), Sha256(blob));
            Assert.Equal(layer.GetProperty("size").GetInt64(), blob.Length);
            Assert.NotEqual(diffId, Sha256(blob));
            Assert.Equal(diffId, Sha256(LayerCompressorTests.Decompress(blob, compression)));
        }
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    [InlineData(LayerCompression.None)]
    public async Task An_unchanged_rebuild_uploads_no_blob_and_keeps_the_digest(LayerCompression compression)
    {
        var built = await BuildAsync(compression);
        var uploads = BlobUploads(built);
        Assert.True(uploads > 0, "the first push should have uploaded blobs:\n" + _registryLog.Text);

        var again = await BuildAsync(compression);

        Assert.Equal(built.Digest, again.Digest);
        Assert.Equal(uploads, BlobUploads(built));
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task A_warm_push_finds_its_blobs_by_the_remembered_digests_without_exporting_the_image(LayerCompression compression)
    {
        var built = await BuildAsync(compression);
        var image = (await _docker.InspectImageAsync(built.ImageId))!;
        using var client = new RegistryClient(new RegistryClientOptions(), new DockerCredentials(), _log);
        var pusher = new ImagePusher(client, _log, new LayerDigests(_layerDigests.Path, _log));

        var pushed = await pusher.PushAsync(new ImagePushRequest(ImageReference.Parse(built.Repository), ["warm"], image.Id, image.Layers,
            _ => throw new InvalidOperationException("the image was exported although the registry holds every blob")) { Compression = compression });

        Assert.Equal(built.Digest, pushed.Digest);
        Assert.Equal((0, 0L), (pushed.BlobsUploaded, pushed.BytesUploaded));
    }

    [Fact]
    public async Task A_gzip_image_pulls_and_runs_with_the_docker_engine()
    {
        var built = await BuildAsync(LayerCompression.Gzip);
        // The daemon skips a pull whose image it holds: remove it, so every layer is downloaded, decompressed and checked.
        await _docker.RemoveImageAsync(built.ImageId, force: true);

        await _docker.PullImageAsync(built.Repository, built.Tags[0]);

        Assert.Equal(built.ImageId, (await _docker.InspectImageAsync(built.Url))!.Id);
        var container = await _docker.CreateContainerAsync(new ContainerSpec(built.Url));
        try
        {
            await _docker.StartContainerAsync(container);
            Assert.Equal(0, await _docker.WaitContainerAsync(container));
            Assert.Equal("pulled and ran", (await _docker.GetContainerLogsAsync(container)).StandardOutput.Trim());
        }
        finally
        {
            await _docker.RemoveContainerAsync(container);
        }
    }

    [CtrTheory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task The_image_pulls_and_runs_with_containerd(LayerCompression compression)
    {
        var built = await BuildAsync(compression);
        var reference = built.Url;
        var name = "compressed-push-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var pull = await Ctr("images", "pull", "--plain-http", reference);
            Assert.True(pull.IsSuccess, $"ctr images pull failed:\n{pull.StandardOutput}{pull.StandardError}");
            var run = await Ctr("run", "--rm", reference, name);
            Assert.True(run.IsSuccess, $"ctr run failed:\n{run.StandardOutput}{run.StandardError}");
            Assert.Equal("pulled and ran", run.StandardOutput.Trim());
        }
        finally
        {
            await Ctr("images", "rm", reference);
        }
    }

    private async Task<BuiltImage> BuildAsync(LayerCompression compression)
    {
        var built = await new ImageBuilder(_docker, _log).BuildAsync(new ContainerizeOptions
        {
            RootDirectory = _repository.Path,
            Registry = _registry.Address,
            ImageName = "small-" + compression.ToString().ToLowerInvariant(),
            Dockerfile = "Dockerfile",
            Context = ".",
            BaseImage = _base,
            LayerCompression = compression,
            LayerDigestDirectory = _layerDigests.Path,
        });
        _images.Add(built.ImageId);
        return built;
    }

    private static string Name(BuiltImage built) => built.Repository.Split('/', 2)[1];

    private int BlobUploads(BuiltImage built) => _registryLog.Lines.Count(l =>
        l.Message.Contains($"\"POST /v2/{Name(built)}/blobs/uploads/", StringComparison.Ordinal));

    private async Task<JsonElement> GetJsonAsync(string path) => JsonDocument.Parse(await GetBytesAsync(path)).RootElement.Clone();

    private async Task<byte[]> GetBytesAsync(string path)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{_registry.Address}{path}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciManifest));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static Task<BufferedCommandResult> Ctr(params string[] arguments) =>
        Cli.Wrap("ctr").WithArguments(["--address", CtrTheoryAttribute.Address!, "--namespace", "gitops-tests", .. arguments])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    public async Task DisposeAsync()
    {
        foreach (var image in _images.Distinct())
            try { await _docker.RemoveImageAsync(image, force: true); } catch (Exception) { /* already gone */ }
        await _registry.DisposeAsync();
        _docker.Dispose();
        _storage.Dispose();
        _repository.Dispose();
        _layerDigests.Dispose();
    }
}

/// <summary>A theory that needs containerd's <c>ctr</c> and a containerd socket; skipped, saying which is missing, without them.</summary>
public sealed class CtrTheoryAttribute : TheoryAttribute
{
    /// <summary>containerd's own socket, or the one dockerd runs.</summary>
    private static readonly string[] Sockets = ["/run/containerd/containerd.sock", "/run/docker/containerd/containerd.sock"];

    /// <summary>The first socket ctr answers on; null when there is no ctr or none answers.</summary>
    internal static readonly string? Address = Find();

    public CtrTheoryAttribute()
    {
        if (Address is null)
            Skip = "containerd's ctr is not installed, or no containerd answers on " + string.Join(" or ", Sockets) + ": install containerd to run this test";
    }

    private static string? Find()
    {
        foreach (var socket in Sockets.Where(File.Exists))
        {
            try
            {
                var version = Cli.Wrap("ctr").WithArguments(["--address", socket, "--timeout", "5s", "version"])
                    .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().GetAwaiter().GetResult();
                if (version.IsSuccess) return socket;
            }
            catch (System.ComponentModel.Win32Exception) { return null; }
        }
        return null;
    }
}
