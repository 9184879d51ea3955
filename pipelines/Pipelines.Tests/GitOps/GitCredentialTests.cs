using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitOps;

public sealed class GitCredentialTests
{
    [Fact]
    public async Task A_token_reaches_the_git_server_as_a_header_and_never_appears_in_the_url_or_the_log()
    {
        // Arrange: a server that records what git sends for the smart-HTTP discovery request and refuses it.
        const string token = "ghp_test_token_value_123";
        await using var server = await FakeServer.StartAsync(app => app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }));
        var log = new MemoryLog();
        var repository = new ManifestsRepository(
            new ManifestsRepositoryOptions(new Uri(server.Url, "/acme/manifests.git").ToString(), Token: token),
            new ImageSetter(ImageSetterOptions.Default, log), log);

        // Act
        var error = await Assert.ThrowsAsync<PipelineException>(() => repository.DeployAsync(
            new DeployRequest("dev", "shortlink", "apps/shortlink/overlays/dev", new ImageUpdate("shortlink", null, "1.0.0", "sha256:" + new string('a', 64)))));

        // Assert
        var discovery = Assert.Single(server.Requests.Take(1));
        Assert.Equal("/acme/manifests.git/info/refs?service=git-upload-pack", discovery.PathAndQuery);
        Assert.Equal("Basic " + Convert.ToBase64String("x-access-token:"u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(token)).ToArray()), discovery.Headers.GetValueOrDefault("Authorization"));
        Assert.Contains("Cloning the manifests repository", error.Message);
        Assert.DoesNotContain(token, error.Message);
        Assert.DoesNotContain(token, log.Text);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("x-access-token:" + token)), log.Text);
    }
}
