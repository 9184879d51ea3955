using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Logging;
using Pipelines.Notifications;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Notifications;

/// <summary>Each format posted to a real local HTTP server, checked against what the service documents.</summary>
public sealed class NotificationFormatsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    internal static readonly ReleaseNotice Deployed = new("service", "deployed", true, "prod",
        [("api", "registry.cn-shanghai.aliyuncs.com/myorg/api:v1.3.0@sha256:" + new string('a', 64))],
        "0123456789abcdef0123456789abcdef01234567", "https://github.com/myorg/service/actions/runs/42", []);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static async Task<(RecordedRequest Request, IReadOnlyList<string> Warnings)> PostAsync(NotifyFormat format, string pathAndQuery, string? secret = null, string answer = "{}")
    {
        await using var server = await FakeServer.StartAsync(app => app.Run(context => context.Response.WriteAsync(answer)));
        var url = new Uri(server.Url, pathAndQuery) + (secret is null ? "" : "#secret=" + secret);
        using var handler = new SocketsHttpHandler();
        var warnings = await new ReleaseNotifier(handler, new MemoryLog(), new FixedClock(Now))
            .SendAsync(Deployed, [NotificationEndpoint.Parse(url, format, 1)], CancellationToken.None);
        return (server.Requests.Single(), warnings);
    }

    [Fact]
    public void The_headline_is_one_short_line_like_the_brief()
    {
        Assert.Equal($"prod-service-v1.3.0 deployed ✅ | Environment: prod | Image: registry.cn-shanghai.aliyuncs.com/myorg/api:v1.3.0@sha256:{new string('a', 64)}", Deployed.Headline);
    }

    [Fact]
    public async Task Slack_gets_a_fallback_text_and_mrkdwn_blocks()
    {
        var (request, warnings) = await PostAsync(NotifyFormat.Slack, "/services/T000/B000/XXXX", answer: "ok");

        Assert.Empty(warnings);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(Deployed.Headline, (string?)body["text"]);
        Assert.Equal("section", (string?)body["blocks"]![0]!["type"]);
        Assert.Equal("mrkdwn", (string?)body["blocks"]![1]!["text"]!["type"]);
        Assert.Contains("*Run:* <https://github.com/myorg/service/actions/runs/42|https://github.com/myorg/service/actions/runs/42>", (string?)body["blocks"]![1]!["text"]!["text"]);
    }

    [Fact]
    public async Task DingTalk_signed_mode_adds_the_millisecond_timestamp_and_the_url_encoded_HMAC_of_timestamp_newline_secret()
    {
        const string secret = "SEC0123456789abcdef+/=";
        var (request, warnings) = await PostAsync(NotifyFormat.DingTalk, "/robot/send?access_token=tok", secret, "{\"errcode\":0,\"errmsg\":\"ok\"}");

        Assert.Empty(warnings);
        var query = HttpUtility.ParseQueryString(new Uri("http://x" + request.PathAndQuery).Query);
        Assert.Equal("tok", query["access_token"]);
        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(), query["timestamp"]);
        var expected = Convert.ToBase64String(new HMACSHA256(Encoding.UTF8.GetBytes(secret)).ComputeHash(Encoding.UTF8.GetBytes($"{query["timestamp"]}\n{secret}")));
        Assert.Equal(expected, query["sign"]);
        Assert.Contains("&sign=" + Uri.EscapeDataString(expected), request.PathAndQuery);
        Assert.DoesNotContain(secret, request.PathAndQuery + request.Body);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("markdown", (string?)body["msgtype"]);
        Assert.Equal(Deployed.Headline, (string?)body["markdown"]!["title"]);
        Assert.StartsWith($"**{Deployed.Headline}**", (string?)body["markdown"]!["text"]);
    }

    [Fact]
    public async Task DingTalk_answering_200_with_an_errcode_is_a_refusal_not_retried()
    {
        var (_, warnings) = await PostAsync(NotifyFormat.DingTalk, "/robot/send?access_token=tok", answer: "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");

        Assert.Contains("refused the message (errcode 310000: sign not match)", Assert.Single(warnings));
    }

    [Fact]
    public async Task WeCom_gets_markdown_content_coloured_by_the_outcome()
    {
        var (request, warnings) = await PostAsync(NotifyFormat.WeCom, "/cgi-bin/webhook/send?key=693a91f6", answer: "{\"errcode\":0,\"errmsg\":\"ok\"}");

        Assert.Empty(warnings);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("markdown", (string?)body["msgtype"]);
        Assert.StartsWith($"<font color=\"info\">{Deployed.Headline}</font>\n> Environment: prod", (string?)body["markdown"]!["content"]);
    }

    [Fact]
    public async Task Lark_signed_mode_puts_the_second_timestamp_and_the_HMAC_keyed_with_timestamp_newline_secret_in_the_body()
    {
        const string secret = "larkSecret";
        var (request, warnings) = await PostAsync(NotifyFormat.Lark, "/open-apis/bot/v2/hook/abc", secret, "{\"code\":0,\"msg\":\"success\"}");

        Assert.Empty(warnings);
        var body = JsonNode.Parse(request.Body)!;
        var timestamp = (string?)body["timestamp"];
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(), timestamp);
        Assert.Equal(Convert.ToBase64String(new HMACSHA256(Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")).ComputeHash(Array.Empty<byte>())), (string?)body["sign"]);
        Assert.Equal("interactive", (string?)body["msg_type"]);
        Assert.Equal(Deployed.Headline, (string?)body["card"]!["header"]!["title"]!["content"]);
        Assert.Equal("green", (string?)body["card"]!["header"]!["template"]);
    }

    [Fact]
    public async Task Teams_Workflows_gets_a_message_with_one_Adaptive_Card()
    {
        var (request, warnings) = await PostAsync(NotifyFormat.Teams, "/workflows/abc/triggers/manual/paths/invoke?sig=xyz");

        Assert.Empty(warnings);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("message", (string?)body["type"]);
        var attachment = body["attachments"]!.AsArray().Single()!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        var card = attachment["content"]!;
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.4", (string?)card["version"]);
        Assert.Equal(Deployed.Headline, (string?)card["body"]![0]!["text"]);
        Assert.Equal("FactSet", (string?)card["body"]![1]!["type"]);
        Assert.Equal("Action.OpenUrl", (string?)card["actions"]![0]!["type"]);
    }

    [Fact]
    public async Task Json_names_every_field()
    {
        var (request, warnings) = await PostAsync(NotifyFormat.Json, "/hook");

        Assert.Empty(warnings);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("deployed", (string?)body["event"]);
        Assert.True((bool)body["succeeded"]!);
        Assert.Equal("prod", (string?)body["environment"]);
        Assert.Equal(Deployed.Images[0].Image, (string?)body["images"]![0]!["image"]);
        Assert.Equal(Deployed.ManifestsCommit, (string?)body["manifestsCommit"]);
        Assert.Equal(Deployed.RunUrl, (string?)body["runUrl"]);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T/B/X", NotifyFormat.Slack)]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=x", NotifyFormat.DingTalk)]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", NotifyFormat.WeCom)]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/x", NotifyFormat.Lark)]
    [InlineData("https://open.larksuite.com/open-apis/bot/v2/hook/x", NotifyFormat.Lark)]
    [InlineData("https://prod-12.westus.logic.azure.com/workflows/x/triggers/manual/paths/invoke", NotifyFormat.Teams)]
    [InlineData("https://default1234.56.environment.api.powerplatform.com/powerautomate/x", NotifyFormat.Teams)]
    [InlineData("https://relay.example.com/hook", NotifyFormat.Json)]
    public void The_format_comes_from_the_host(string url, NotifyFormat format)
    {
        Assert.Equal(format, NotificationEndpoint.Parse(url, NotifyFormat.Auto, 1).Format);
    }

    [Fact]
    public void An_endpoint_names_its_format_and_host_but_never_its_token()
    {
        var endpoint = NotificationEndpoint.Parse("https://oapi.dingtalk.com/robot/send?access_token=tok123#secret=SEC456", NotifyFormat.Auto, 1);

        Assert.Equal("dingtalk webhook on oapi.dingtalk.com", endpoint.ToString());
        Assert.Equal("SEC456", endpoint.Secret);
        Assert.DoesNotContain("#", endpoint.Url.ToString());
    }

    [Fact]
    public void A_value_that_is_no_URL_is_refused_without_repeating_it()
    {
        var error = Assert.Throws<PipelineException>(() => NotificationEndpoint.Parse("tok-not-a-url", NotifyFormat.Auto, 2));

        Assert.Contains("--notify: value #2 is not an http(s) URL", error.Message);
        Assert.DoesNotContain("tok-not-a-url", error.Message);
    }

    [Fact]
    public async Task A_429_is_tried_again_after_its_Retry_After()
    {
        var calls = 0;
        await using var server = await FakeServer.StartAsync(app => app.Run(context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "7";
                return Task.CompletedTask;
            }
            return context.Response.WriteAsync("ok");
        }));
        var waits = new List<TimeSpan>();
        using var handler = new SocketsHttpHandler();

        var warnings = await new ReleaseNotifier(handler, new MemoryLog(), delay: (wait, _) => { waits.Add(wait); return Task.CompletedTask; })
            .SendAsync(Deployed, [NotificationEndpoint.Parse(new Uri(server.Url, "/hook").ToString(), NotifyFormat.Slack, 1)], CancellationToken.None);

        Assert.Empty(warnings);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], waits);
    }
}
