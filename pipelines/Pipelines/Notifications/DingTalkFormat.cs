using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipelines.Notifications;

/// <summary>
/// DingTalk custom robots: <c>{"msgtype":"markdown","markdown":{"title","text"}}</c> posted to
/// <c>/robot/send?access_token=…</c>. In signed mode the URL gains <c>timestamp</c> (milliseconds) and <c>sign</c> =
/// Base64(HMAC-SHA256 keyed with the secret over <c>timestamp + "\n" + secret</c>), URL-encoded. DingTalk answers
/// 200 with <c>errcode</c> non-zero when it refuses.
/// </summary>
internal sealed class DingTalkFormat : MessageFormat
{
    public override HttpRequestMessage Request(ReleaseNotice notice, NotificationEndpoint endpoint, DateTimeOffset now)
    {
        var url = endpoint.Url;
        if (endpoint.Secret is { Length: > 0 } secret)
        {
            var timestamp = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var separator = url.Query.Length > 1 ? "&" : "?";
            url = new Uri(url + $"{separator}timestamp={timestamp}&sign={Uri.EscapeDataString(Sign(timestamp, secret))}");
        }
        return Post(url, new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["title"] = notice.Headline, ["text"] = notice.Markdown() },
        });
    }

    /// <summary>DingTalk's signature of a timestamp, before URL encoding.</summary>
    public static string Sign(string timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));

    public override string? Refusal(string body) => ErrorCode(body, "errcode", "errmsg");
}
