using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>Blob, manifest, tag and referrer calls against a real distribution registry.</summary>
public sealed class RegistryClientTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly TempDirectory _home = new("docker-config");
    private readonly MemoryLog _log = new();

    private RegistryClient Client(RegistryClientOptions? options = null) =>
        new(options ?? new RegistryClientOptions(), new DockerCredentials(_home.Combine("config.json")), _log);

    private ImageReference NewRepository(string prefix = "app") => registry.Reference(RegistryTestImages.RepositoryName(prefix));

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_blob_pushed_in_one_put_exists_and_reads_back_identically()
    {
        using var client = Client();
        var repository = NewRepository();
        var content = "hello, registry"u8.ToArray();

        var pushed = await client.PushBlobAsync(repository, content);

        Assert.Equal(BlobPushOutcome.UploadedMonolithic, pushed.Outcome);
        Assert.Equal(Digest.Compute(content), pushed.Digest);
        Assert.True(await client.BlobExistsAsync(repository, pushed.Digest));
        Assert.Equal(content, await client.GetBlobAsync(repository, pushed.Digest));
    }

    [Fact]
    public async Task A_blob_larger_than_the_chunk_size_is_uploaded_in_patch_chunks()
    {
        using var client = Client(new RegistryClientOptions { ChunkSize = 1024 });
        var repository = NewRepository();
        var content = RegistryTestImages.Image().Layer;

        var pushed = await client.PushBlobAsync(repository, content);

        Assert.Equal(BlobPushOutcome.UploadedChunked, pushed.Outcome);
        Assert.Equal(3, _log.Lines.Count(l => l.Message.StartsWith("PATCH ")));
        Assert.Equal(content, await client.GetBlobAsync(repository, pushed.Digest));
    }

    [Fact]
    public async Task A_chunked_push_with_uneven_chunks_stores_the_exact_bytes()
    {
        using var client = Client();
        var repository = NewRepository();
        var content = RegistryTestImages.Image().Layer;

        var pushed = await client.PushBlobChunkedAsync(repository, Digest.Compute(content), content.Length, () => new MemoryStream(content), chunkSize: 999);

        Assert.Equal(BlobPushOutcome.UploadedChunked, pushed.Outcome);
        Assert.Equal(content, await client.GetBlobAsync(repository, pushed.Digest));
    }

    [Fact]
    public async Task Pushing_a_blob_the_repository_has_sends_no_bytes()
    {
        using var client = Client();
        var repository = NewRepository();
        var content = "same bytes twice"u8.ToArray();
        await client.PushBlobAsync(repository, content);
        var before = _log.Lines.Count;

        var second = await client.PushBlobAsync(repository, content);

        Assert.Equal(BlobPushOutcome.AlreadyExists, second.Outcome);
        Assert.False(second.Uploaded);
        Assert.DoesNotContain(_log.Lines.Skip(before), l => l.Message.StartsWith("POST ") || l.Message.StartsWith("PUT "));
    }

    [Fact]
    public async Task A_blob_is_mounted_from_another_repository_of_the_same_registry()
    {
        using var client = Client();
        var source = NewRepository("source");
        var target = NewRepository("target");
        var pushed = await client.PushBlobAsync(source, "shared layer"u8.ToArray());

        var mounted = await client.PushBlobAsync(target, pushed.Digest, pushed.Size, () => throw new InvalidOperationException("a mount must not read the content"), mountFrom: source.Repository);

        Assert.Equal(BlobPushOutcome.Mounted, mounted.Outcome);
        Assert.True(await client.BlobExistsAsync(target, pushed.Digest));
    }

    [Fact]
    public async Task A_mount_from_a_repository_without_the_blob_falls_back_to_an_upload()
    {
        using var client = Client();
        var empty = NewRepository("empty");
        var target = NewRepository("target");
        var content = "not in the source"u8.ToArray();

        var pushed = await client.PushBlobAsync(target, content, mountFrom: empty.Repository);

        Assert.Equal(BlobPushOutcome.UploadedMonolithic, pushed.Outcome);
        Assert.Equal(content, await client.GetBlobAsync(target, pushed.Digest));
    }

    [Theory]
    [InlineData(MediaTypes.OciManifest)]
    [InlineData(MediaTypes.DockerManifest)]
    public async Task A_manifest_round_trips_with_the_same_bytes_and_digest(string mediaType)
    {
        using var client = Client();
        var repository = NewRepository();

        var manifest = await RegistryTestImages.PushImageAsync(client, repository, "v1", mediaType);
        var head = await client.HeadManifestAsync(repository.WithTag("v1"));
        var fetched = await client.GetManifestAsync(repository.WithTag("v1"));
        var byDigest = await client.GetManifestAsync(repository.WithDigest(manifest.Digest));

        Assert.Equal(new ManifestDescriptor(mediaType, manifest.Digest, manifest.Content.Length), head);
        Assert.Equal(manifest.Content, fetched!.Content);
        Assert.Equal(manifest.Digest, fetched.Digest);
        Assert.Equal(mediaType, fetched.MediaType);
        Assert.Equal(manifest.Content, byDigest!.Content);
        Assert.Equal(manifest.ParseManifest().Layers[0].Digest, fetched.ParseManifest().Layers[0].Digest);
    }

    [Fact]
    public async Task The_cosign_wire_trace_manifest_gets_the_digest_cosign_saw()
    {
        using var client = Client();
        var repository = NewRepository("cosign");
        string Vector(string file) => TestPaths.SharedFile("vectors", "cosign", "wire-trace-v1.13.1", file);
        await client.PushBlobAsync(repository, await File.ReadAllBytesAsync(Vector("payload.json")));
        await client.PushBlobAsync(repository, await File.ReadAllBytesAsync(Vector("config.json")));
        var manifest = RawManifest.FromBytes(MediaTypes.OciManifest, await File.ReadAllBytesAsync(Vector("manifest.json")));

        var stored = await client.PutManifestAsync(repository, manifest, "sha256-4c1c50d0ffc614f90b93b07d778028dc765548e823f676fb027f61d281ac380d.sig");

        Assert.Equal("sha256:7ebe8964225fa4619b53aa35416ef0246c037e36ddf81776b21b15e1dda2262b", stored.Digest);
        Assert.Equal(stored.Digest, await client.ResolveDigestAsync(repository.WithTag("sha256-4c1c50d0ffc614f90b93b07d778028dc765548e823f676fb027f61d281ac380d.sig")));
    }

    [Fact]
    public async Task A_missing_manifest_is_null_and_a_missing_blob_is_false()
    {
        using var client = Client();
        var repository = NewRepository();

        Assert.Null(await client.HeadManifestAsync(repository.WithTag("nope")));
        Assert.Null(await client.GetManifestAsync(repository.WithTag("nope")));
        Assert.False(await client.BlobExistsAsync(repository, Digest.Compute("absent"u8)));
        Assert.False(await client.TagExistsAsync(repository.WithTag("nope")));
    }

    [Fact]
    public async Task A_manifest_naming_a_missing_blob_is_refused_with_the_registry_error_code()
    {
        using var client = Client();
        var repository = NewRepository();
        var (_, _, manifest) = RegistryTestImages.Image();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PutManifestAsync(repository, manifest, "broken"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.True(error.HasCode("MANIFEST_BLOB_UNKNOWN"), error.Message);
        Assert.Contains("MANIFEST_BLOB_UNKNOWN", error.Message);
        Assert.Contains($"store manifest {repository}:broken", error.Message);
    }

    [Fact]
    public async Task All_tags_are_listed_and_an_unknown_repository_has_none()
    {
        using var client = Client();
        var repository = NewRepository();
        var manifest = await RegistryTestImages.PushImageAsync(client, repository, "a");
        foreach (var tag in new[] { "b", "c", "d", "e" }) await client.PutManifestAsync(repository, manifest, tag);

        var tags = await client.ListTagsAsync(repository, pageSize: 2);

        Assert.Equal(["a", "b", "c", "d", "e"], tags.Order());
        Assert.Empty(await client.ListTagsAsync(NewRepository("unknown")));
    }

    [Fact]
    public async Task Referrers_fall_back_to_the_tag_schema_on_a_registry_without_the_api()
    {
        using var client = Client();
        var repository = NewRepository();
        var subject = await RegistryTestImages.PushImageAsync(client, repository, "v1");
        var empty = await client.PushBlobAsync(repository, "{}"u8.ToArray());
        var sbom = await client.PushBlobAsync(repository, "{\"spdxVersion\":\"SPDX-2.3\"}"u8.ToArray());
        var artifact = RawManifest.From(new OciManifest
        {
            ArtifactType = "application/spdx+json",
            Config = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = empty.Digest, Size = empty.Size },
            Layers = [new Descriptor { MediaType = "application/spdx+json", Digest = sbom.Digest, Size = sbom.Size }],
            Subject = subject.Descriptor.ToDescriptor(),
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.created"] = "2026-01-01T00:00:00Z" },
        });

        var before = await client.GetReferrersAsync(repository, subject.Digest);
        await client.PushReferrerAsync(repository, artifact);
        await client.PushReferrerAsync(repository, artifact);
        var after = await client.GetReferrersAsync(repository, subject.Digest);
        var filtered = await client.GetReferrersAsync(repository, subject.Digest, artifactType: "application/vnd.other");

        Assert.Empty(before.Manifests);
        Assert.True(after.FromFallbackTag);
        var entry = Assert.Single(after.Manifests);
        Assert.Equal(artifact.Digest, entry.Digest);
        Assert.Equal("application/spdx+json", entry.ArtifactType);
        Assert.Equal("2026-01-01T00:00:00Z", entry.Annotations!["org.opencontainers.image.created"]);
        Assert.Empty(filtered.Manifests);
        Assert.Contains(RegistryClient.FallbackTag(subject.Digest), await client.ListTagsAsync(repository));
    }

    [Fact]
    public async Task A_manifest_is_deleted_by_digest()
    {
        using var client = Client();
        var repository = NewRepository();
        var manifest = await RegistryTestImages.PushImageAsync(client, repository, "gone");

        Assert.True(await client.DeleteManifestAsync(repository, manifest.Digest));

        Assert.Null(await client.HeadManifestAsync(repository.WithDigest(manifest.Digest)));
    }
}
