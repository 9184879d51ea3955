using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Notifications;

/// <summary>How one chat service wants a notice: the request to post, and how its answer says it refused the message.</summary>
internal abstract class MessageFormat
{
    /// <summary>The request that posts <paramref name="notice"/> to <paramref name="endpoint"/>, signed at <paramref name="now"/> where the service signs.</summary>
    public abstract HttpRequestMessage Request(ReleaseNotice notice, NotificationEndpoint endpoint, DateTimeOffset now);

    /// <summary>
    /// Why a 2xx answer still refused the message (DingTalk, WeCom and Lark answer 200 with an error code), or null.
    /// </summary>
    public virtual string? Refusal(string body) => null;

    /// <summary>The format for an endpoint.</summary>
    public static MessageFormat For(NotifyFormat format) => format switch
    {
        NotifyFormat.Slack => new SlackFormat(),
        NotifyFormat.DingTalk => new DingTalkFormat(),
        NotifyFormat.WeCom => new WeComFormat(),
        NotifyFormat.Lark => new LarkFormat(),
        NotifyFormat.Teams => new TeamsFormat(),
        _ => new JsonFormat(),
    };

    /// <summary>A POST of <paramref name="body"/> as UTF-8 JSON.</summary>
    protected static HttpRequestMessage Post(Uri url, JsonNode body) => new(HttpMethod.Post, url)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };

    /// <summary>The error a JSON answer carries in <paramref name="codeField"/> (non-zero) and <paramref name="messageField"/>.</summary>
    protected static string? ErrorCode(string body, string codeField, string messageField)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject answer || answer[codeField] is not JsonValue code) return null;
            var value = code.TryGetValue<long>(out var number) ? number : long.TryParse(code.ToString(), out var parsed) ? parsed : 0;
            return value == 0 ? null : $"{codeField} {value}: {answer[messageField]}";
        }
        catch (JsonException) { return null; }
    }
}
