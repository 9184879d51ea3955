using System.Text.Json.Nodes;

namespace Pipelines.Notifications;

/// <summary>
/// WeCom group robots: <c>{"msgtype":"markdown","markdown":{"content"}}</c> posted to <c>/cgi-bin/webhook/send?key=…</c>
/// (markdown content up to 4096 bytes; <c>&lt;font color="info|warning"&gt;</c> colours). WeCom answers 200 with
/// <c>errcode</c> non-zero when it refuses.
/// </summary>
internal sealed class WeComFormat : MessageFormat
{
    /// <summary>WeCom's limit on markdown content, in UTF-8 bytes.</summary>
    private const int MaxBytes = 4096;

    public override HttpRequestMessage Request(ReleaseNotice notice, NotificationEndpoint endpoint, DateTimeOffset now)
    {
        var colour = notice.Succeeded ? "info" : "warning";
        var content = $"<font color=\"{colour}\">{notice.Headline}</font>\n" + string.Join("\n", notice.Facts.Select(f => $"> {f.Label}: {f.Value}"));
        while (System.Text.Encoding.UTF8.GetByteCount(content) > MaxBytes) content = content[..(content.Length * 9 / 10)];
        return Post(endpoint.Url, new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = content },
        });
    }

    public override string? Refusal(string body) => ErrorCode(body, "errcode", "errmsg");
}
