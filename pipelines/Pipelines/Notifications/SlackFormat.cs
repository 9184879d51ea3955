using System.Text.Json.Nodes;

namespace Pipelines.Notifications;

/// <summary>
/// Slack incoming webhooks: <c>text</c> is the notification's fallback (and the line a phone shows), <c>blocks</c> the
/// message (a section in Slack's mrkdwn: <c>*bold*</c>, <c>&lt;url|label&gt;</c>). Slack refuses with a 4xx and a word.
/// </summary>
internal sealed class SlackFormat : MessageFormat
{
    public override HttpRequestMessage Request(ReleaseNotice notice, NotificationEndpoint endpoint, DateTimeOffset now)
    {
        var facts = string.Join("\n", notice.Facts.Select(f => $"*{Escape(f.Label)}:* {Link(f.Value)}"));
        return Post(endpoint.Url, new JsonObject
        {
            ["text"] = notice.Headline,
            ["blocks"] = new JsonArray(
                new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{Escape(notice.Headline)}*" } },
                new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = facts } }),
        });
    }

    // Slack's mrkdwn needs only these three escaped.
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Link(string value) =>
        value.StartsWith("http", StringComparison.Ordinal) ? $"<{value}|{Escape(value)}>" : Escape(value);
}
