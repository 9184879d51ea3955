using System.Text.Json.Nodes;

namespace Pipelines.Notifications;

/// <summary>
/// Microsoft Teams through a Workflows (Power Automate) webhook, the "Post to a channel when a webhook request is
/// received" flow that replaced the retired Office 365 connectors: a message whose one attachment is an Adaptive
/// Card (<c>application/vnd.microsoft.card.adaptive</c>, schema 1.4): the headline, a FactSet, a button to the run.
/// </summary>
internal sealed class TeamsFormat : MessageFormat
{
    public override HttpRequestMessage Request(ReleaseNotice notice, NotificationEndpoint endpoint, DateTimeOffset now)
    {
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "TextBlock", ["text"] = notice.Headline, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true,
                    ["color"] = notice.Succeeded ? "Good" : "Attention",
                },
                new JsonObject
                {
                    ["type"] = "FactSet",
                    ["facts"] = new JsonArray([.. notice.Facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Label, ["value"] = f.Value })]),
                }),
        };
        if (notice.RunUrl.StartsWith("http", StringComparison.Ordinal))
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the run", ["url"] = notice.RunUrl });
        return Post(endpoint.Url, new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        });
    }
}
