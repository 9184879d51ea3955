using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipelines.Notifications;

/// <summary>
/// Lark / Feishu custom bots: an interactive card (<c>msg_type: interactive</c>, a coloured header and a markdown
/// element) posted to <c>/open-apis/bot/v2/hook/…</c>. In signed mode the body gains <c>timestamp</c> (seconds) and
/// <c>sign</c> = Base64(HMAC-SHA256 keyed with <c>timestamp + "\n" + secret</c> over nothing). Lark answers 200 with
/// <c>code</c> non-zero when it refuses.
/// </summary>
internal sealed class LarkFormat : MessageFormat
{
    public override HttpRequestMessage Request(ReleaseNotice notice, NotificationEndpoint endpoint, DateTimeOffset now)
    {
        var body = new JsonObject();
        if (endpoint.Secret is { Length: > 0 } secret)
        {
            var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            body["timestamp"] = timestamp;
            body["sign"] = Sign(timestamp, secret);
        }
        body["msg_type"] = "interactive";
        body["card"] = new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = notice.Headline },
                ["template"] = notice.Succeeded ? "green" : "red",
            },
            ["elements"] = new JsonArray(new JsonObject
            {
                ["tag"] = "markdown",
                ["content"] = string.Join("\n", notice.Facts.Select(f => $"**{f.Label}:** {f.Value}")),
            }),
        };
        return Post(endpoint.Url, body);
    }

    /// <summary>Lark's signature of a timestamp: the key is the string to sign, the data empty.</summary>
    public static string Sign(string timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(timestamp + "\n" + secret), Array.Empty<byte>()));

    public override string? Refusal(string body) => ErrorCode(body, "code", "msg");
}
