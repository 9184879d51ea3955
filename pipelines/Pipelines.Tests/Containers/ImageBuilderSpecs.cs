using System.Net.Http.Json;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Tests.Registry;

namespace Pipelines.Tests.Containers;

/// <summary>The Containerize capability end to end: the real sample, the real daemon, a real registry.</summary>
public sealed class ImageBuilderSpecs(ContainerizeFixture fixture) : IClassFixture<ContainerizeFixture>
{
    [Fact]
    public async Task The_pushed_digest_equals_the_one_the_registry_reports_for_each_tag()
    {
        var built = fixture.Built;

        Assert.StartsWith("sha256:", built.Digest);
        foreach (var tag in built.Tags)
            Assert.Equal(built.Digest, await RegistryProbe.ManifestDigestAsync(fixture.Registry.Address, "shortlink", tag));
        Assert.Equal($"{fixture.Registry.Address}/shortlink@{built.Digest}", built.Reference);
    }

    [Fact]
    public async Task The_image_is_tagged_with_the_short_commit_and_the_branch_and_labelled_from_git()
    {
        var commit = (await fixture.GitAsync("rev-parse", "HEAD")).StandardOutput.Trim();
        var built = fixture.Built;

        Assert.Equal([commit[..12], "main"], built.Tags);
        Assert.Equal($"{fixture.Registry.Address}/shortlink:{commit[..12]}", built.Url);
        var image = await fixture.Docker.InspectImageAsync(built.Url);
        Assert.NotNull(image);
        Assert.Equal(commit, image.Labels["org.opencontainers.image.revision"]);
        Assert.Equal("shortlink", image.Labels["org.opencontainers.image.title"]);
        var committed = (await fixture.GitAsync("log", "-1", "--format=%cI")).StandardOutput.Trim();
        Assert.Equal(DateTimeOffset.Parse(committed).UtcDateTime, DateTimeOffset.Parse(image.Labels["org.opencontainers.image.created"]).UtcDateTime);
    }

    [Fact]
    public void Without_a_pullable_default_base_the_local_base_is_used_and_the_log_says_so()
    {
        Assert.Contains(fixture.Log.Lines, l => l.Level == LogLevel.Warning
            && l.Message.Contains("using a locally assembled base " + LocalBaseImage.DefaultTag)
            && l.Message.Contains("for local use only"));
    }

    [Fact]
    public async Task A_rebuild_with_no_change_uploads_no_blob()
    {
        var before = BlobUploads();
        Assert.True(before > 0, "the first push should have opened upload sessions:\n" + fixture.RegistryLog.Text);
        var log = new MemoryLog();

        var again = await new ImageBuilder(fixture.Docker, log).BuildAsync(fixture.Options);

        Assert.Equal(fixture.Built.Digest, again.Digest);
        Assert.Equal(fixture.Built.ImageId, again.ImageId);
        Assert.Equal(before, BlobUploads());
        Assert.DoesNotContain(log.Lines, l => l.Message.EndsWith(": Pushed"));
    }

    [Fact]
    public async Task The_sample_image_answers_healthz_on_a_published_loopback_port()
    {
        var docker = fixture.Docker;
        var container = await docker.CreateContainerAsync(new ContainerSpec(fixture.Built.Url) { PublishedPorts = [8080] });
        try
        {
            await docker.StartContainerAsync(container);
            var port = await docker.InspectContainerPortAsync(container, 8080);

            var (status, body) = await GetWhenUpAsync($"http://127.0.0.1:{port}/healthz");

            Assert.True(status == System.Net.HttpStatusCode.OK, $"/healthz answered {status}: {body}\n{(await docker.GetContainerLogsAsync(container)).StandardError}");
            Assert.Equal("ok", body.Trim());
            // Short codes come from the OpenSSL-backed random generator: the base must carry libssl/libcrypto.
            using var client = new HttpClient();
            using var created = await client.PostAsJsonAsync($"http://127.0.0.1:{port}/links", new { url = "https://example.com/docs" });
            Assert.True(created.StatusCode == System.Net.HttpStatusCode.Created, $"POST /links answered {created.StatusCode}: {await created.Content.ReadAsStringAsync()}\n{(await docker.GetContainerLogsAsync(container)).StandardOutput}");
        }
        finally
        {
            await docker.RemoveContainerAsync(container);
        }
    }

    /// <summary>Blob upload sessions the registry saw (<c>POST /v2/…/blobs/uploads/</c>).</summary>
    private int BlobUploads() => fixture.RegistryLog.Lines.Count(l =>
        l.Message.Contains("\"POST /v2/shortlink/blobs/uploads/", StringComparison.Ordinal));

    /// <summary>GETs a URL until the app accepts connections (it takes a moment to start); a bounded number of tries.</summary>
    private static async Task<(System.Net.HttpStatusCode Status, string Body)> GetWhenUpAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(url);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(200);
            }
        }
    }
}
