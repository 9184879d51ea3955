using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipelines.GitOps;
using Pipelines.Hosts;

namespace Pipelines.Tests.GitOps;

public sealed class GitCredentialTests
{
    [Fact]
    public async Task A_token_reaches_the_git_server_as_a_header_and_never_appears_in_the_url_or_the_log()
    {
        // Arrange: a server that records what git sends for the smart-HTTP discovery request and refuses it.
        const string token = "ghp_test_token_value_123";
        var seen = new ConcurrentQueue<(string Path, string? Authorization)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.Run(context =>
        {
            seen.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault()));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var log = new MemoryLog();
        var repository = new ManifestsRepository(
            new ManifestsRepositoryOptions($"{address}/acme/manifests.git", Token: token),
            new ImageSetter(ImageSetterOptions.Default, log), log);

        // Act
        var error = await Assert.ThrowsAsync<PipelineException>(() => repository.DeployAsync(
            new DeployRequest("dev", "shortlink", "apps/shortlink/overlays/dev", new ImageUpdate("shortlink", null, "1.0.0", "sha256:" + new string('a', 64)))));

        // Assert
        var (path, authorization) = Assert.Single(seen.Take(1));
        Assert.Equal("/acme/manifests.git/info/refs?service=git-upload-pack", path);
        Assert.Equal("Basic " + Convert.ToBase64String("x-access-token:"u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(token)).ToArray()), authorization);
        Assert.Contains("Cloning the manifests repository", error.Message);
        Assert.DoesNotContain(token, error.Message);
        Assert.DoesNotContain(token, log.Text);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("x-access-token:" + token)), log.Text);
    }
}
