using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitOps;

/// <summary>Against a fake receiver that validates signatures as notification-controller does.</summary>
public class FluxReceiverNotifierTests
{
    private const string Token = "receiver-token\n";
    private const string HookPath = "/hook/0d1d7e5e3c6a0b4f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f";

    private static Task<FakeServer> Receiver() => FakeServer.StartAsync(app =>
        app.MapPost(HookPath, async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var header = request.Headers["X-Signature"].ToString() is { Length: > 0 } generic ? generic : request.Headers["X-Hub-Signature-256"].ToString();
            var parts = header.Split('=', 2);
            if (parts.Length != 2 || parts[0] != "sha256") return Results.BadRequest();
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Token), Encoding.UTF8.GetBytes(body)));
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[1])) ? Results.Ok() : Results.BadRequest();
        }));

    [Theory]
    [InlineData(FluxReceiverType.GenericHmac)]
    [InlineData(FluxReceiverType.GitHub)]
    internal async Task The_body_is_signed_with_the_receiver_token_as_flux_checks_it(FluxReceiverType type)
    {
        await using var server = await Receiver();
        var log = new MemoryLog();

        await new FluxReceiverNotifier(log).NotifyAsync(new FluxReceiverRequest(new Uri(server.Url, HookPath), Token, type, "main", new string('c', 40)), CancellationToken.None);

        Assert.Contains("Flux receiver notified", log.Text);
        Assert.DoesNotContain(HookPath, log.Text);
        if (type == FluxReceiverType.GitHub) Assert.Equal("push", server.Requests.Single().Headers["X-GitHub-Event"]);
    }

    [Fact]
    public async Task A_wrong_token_is_rejected_and_the_message_says_what_to_check()
    {
        await using var server = await Receiver();

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new FluxReceiverNotifier(new MemoryLog()).NotifyAsync(new FluxReceiverRequest(new Uri(server.Url, HookPath), "receiver-token", FluxReceiverType.GenericHmac, "main", "abc"), CancellationToken.None));

        Assert.Contains("answered 400", error.Message);
        Assert.Contains("a trailing newline counts", error.Message);
    }

    [Fact]
    public async Task A_wrong_path_says_where_to_find_the_right_one()
    {
        await using var server = await Receiver();

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new FluxReceiverNotifier(new MemoryLog()).NotifyAsync(new FluxReceiverRequest(new Uri(server.Url, "/hook/nope"), Token, FluxReceiverType.GenericHmac, "main", "abc"), CancellationToken.None));

        Assert.Contains("status.webhookPath", error.Message);
    }
}
