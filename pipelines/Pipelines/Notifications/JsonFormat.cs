using System.Text.Json.Nodes;

namespace Pipelines.Notifications;

/// <summary>The toolkit's own JSON, for any other receiver (an Alertmanager-style relay, a custom bot): every field by name, plus <c>text</c>.</summary>
internal sealed class JsonFormat : MessageFormat
{
    public override HttpRequestMessage Request(ReleaseNotice notice, NotificationEndpoint endpoint, DateTimeOffset now) => Post(endpoint.Url, new JsonObject
    {
        ["pipeline"] = notice.Pipeline,
        ["event"] = notice.Event,
        ["succeeded"] = notice.Succeeded,
        ["environment"] = notice.Environment,
        ["images"] = new JsonArray([.. notice.Images.Select(i => (JsonNode)new JsonObject { ["service"] = i.Service, ["image"] = i.Image })]),
        ["manifestsCommit"] = notice.ManifestsCommit,
        ["runUrl"] = notice.RunUrl,
        ["details"] = new JsonArray([.. notice.Details.Select(d => (JsonNode)JsonValue.Create(d))]),
        ["headline"] = notice.Headline,
        ["text"] = notice.PlainText,
        ["time"] = now.ToString("O"),
    });
}
