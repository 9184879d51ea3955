using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Docker;

/// <summary>
/// The API version is negotiated up to the daemon's (<c>GET /version</c>, then every call pinned to it), against
/// fake daemons that answer the documented <c>/version</c> and record the paths they are called on.
/// </summary>
public sealed class DockerApiVersionSpecs
{
    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.47", "1.47")]
    [InlineData("1.99", null)]
    public async Task Calls_are_pinned_to_the_daemons_api_version_up_to_the_newest_the_client_knows(string offered, string? expected)
    {
        await using var daemon = await DaemonOffering(offered);
        using var docker = new DockerEngine(DockerEndpoint.Parse($"tcp://{daemon.Address}", false, null), new MemoryLog());

        var image = await docker.InspectImageAsync("anything");

        var pinned = expected is null ? DockerEngine.NewestApiVersion : Version.Parse(expected);
        Assert.Null(image);
        Assert.Equal(pinned, docker.ApiVersion);
        Assert.Contains(daemon.Requests, r => r.PathAndQuery == "/version");
        Assert.Contains(daemon.Requests, r => r.PathAndQuery == $"/v{pinned}/images/anything/json");
    }

    [Fact]
    public async Task A_daemon_older_than_docker_20_10_is_refused_with_the_fix()
    {
        await using var daemon = await DaemonOffering("1.40");
        using var docker = new DockerEngine(DockerEndpoint.Parse($"tcp://{daemon.Address}", false, null), new MemoryLog());

        var error = await Assert.ThrowsAsync<PipelineException>(() => docker.InspectImageAsync("anything"));

        Assert.Contains("speaks API 1.40", error.Message);
        Assert.Contains("Upgrade Docker", error.Message);
    }

    [Fact]
    public async Task An_error_status_names_the_call_and_the_daemons_message()
    {
        await using var daemon = await DaemonOffering("1.41");
        using var docker = new DockerEngine(DockerEndpoint.Parse($"tcp://{daemon.Address}", false, null), new MemoryLog());

        var error = await Assert.ThrowsAsync<DockerApiException>(() => docker.TagImageAsync("missing", "repo", "v1"));

        Assert.Equal("Tagging missing as repo:v1 failed: No such image: missing (Docker API 404).", error.Message);
    }

    [Theory]
    [InlineData("io.containerd.snapshotter.v1", true)]
    [InlineData(null, false)]
    public async Task A_daemon_on_containerds_image_store_is_recognised_so_the_daemon_pushes_its_images(string? driverType, bool expected)
    {
        await using var daemon = await DaemonOffering("1.47", driverType);
        using var docker = new DockerEngine(DockerEndpoint.Parse($"tcp://{daemon.Address}", false, null), new MemoryLog());

        Assert.Equal(expected, await docker.UsesContainerdImageStoreAsync());
    }

    [Fact]
    public async Task The_real_daemon_here_keeps_the_classic_image_store()
    {
        using var docker = new DockerEngine(DockerEndpoint.FromEnvironment(), new MemoryLog());

        Assert.False(await docker.UsesContainerdImageStoreAsync());
    }

    private static Task<FakeServer> DaemonOffering(string apiVersion, string? driverType = null) => FakeServer.StartAsync(app =>
    {
        app.MapGet("/version", () => Results.Json(new Dictionary<string, string>
        {
            ["Version"] = "test", ["ApiVersion"] = apiVersion, ["MinAPIVersion"] = "1.12",
        }));
        // Dictionary keys keep the daemon's PascalCase (Results.Json would camel-case an anonymous object's names).
        app.MapGet("/v{version}/info", () => Results.Json(new Dictionary<string, object>
        {
            ["Driver"] = driverType is null ? "overlay2" : "overlayfs",
            ["DriverStatus"] = driverType is null ? new[] { new[] { "Backing Filesystem", "extfs" } } : new[] { new[] { "driver-type", driverType } },
        }));
        app.MapGet("/v{version}/images/{name}/json", (string name) =>
            Results.Json(new { message = $"No such image: {name}" }, statusCode: 404));
        app.MapPost("/v{version}/images/{name}/tag", (string name) =>
            Results.Json(new { message = $"No such image: {name}" }, statusCode: 404));
    });
}
