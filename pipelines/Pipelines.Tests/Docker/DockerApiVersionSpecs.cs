using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Docker;
using Pipelines.Hosts;
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

    private static Task<FakeServer> DaemonOffering(string apiVersion) => FakeServer.StartAsync(app =>
    {
        app.MapGet("/version", () => Results.Json(new Dictionary<string, string>
        {
            ["Version"] = "test", ["ApiVersion"] = apiVersion, ["MinAPIVersion"] = "1.24",
        }));
        app.MapGet("/v{version}/images/{name}/json", (string name) =>
            Results.Json(new { message = $"No such image: {name}" }, statusCode: 404));
        app.MapPost("/v{version}/images/{name}/tag", (string name) =>
            Results.Json(new { message = $"No such image: {name}" }, statusCode: 404));
    });
}
