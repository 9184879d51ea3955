namespace Pipelines.Notifications;

/// <summary>
/// One <c>--notify</c> address: where to post, in which format, and the signing secret DingTalk and Lark robots may
/// require, given as the URL's fragment (<c>…#secret=SEC…</c>): a fragment is never sent, so the secret only signs.
/// The URL carries the robot's token: <see cref="ToString"/> names the format and host only.
/// </summary>
internal sealed record NotificationEndpoint(Uri Url, NotifyFormat Format, string? Secret)
{
    /// <summary>Reads one <c>--notify</c> value; <paramref name="format"/> other than Auto overrides what the host says.</summary>
    public static NotificationEndpoint Parse(string text, NotifyFormat format, int position)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new PipelineException($"--notify: value #{position} is not an http(s) URL; give the chat robot's webhook address (https://…).");
        string? secret = null;
        if (uri.Fragment.Length > 1)
        {
            var fragment = Uri.UnescapeDataString(uri.Fragment[1..]);
            secret = fragment.StartsWith("secret=", StringComparison.Ordinal) ? fragment["secret=".Length..]
                : throw new PipelineException($"--notify: value #{position} ({uri.Host}) has a fragment other than #secret=<the robot's signing secret>.");
        }
        var url = new UriBuilder(uri) { Fragment = "" }.Uri;
        return new NotificationEndpoint(url, format == NotifyFormat.Auto ? FormatOf(url.Host) : format, secret);
    }

    /// <summary>The format a host serves; <see cref="NotifyFormat.Json"/> for a host the toolkit does not know.</summary>
    public static NotifyFormat FormatOf(string host) => host.ToLowerInvariant() switch
    {
        "hooks.slack.com" => NotifyFormat.Slack,
        "oapi.dingtalk.com" => NotifyFormat.DingTalk,
        "qyapi.weixin.qq.com" => NotifyFormat.WeCom,
        "open.feishu.cn" or "open.larksuite.com" => NotifyFormat.Lark,
        var h when h.EndsWith(".logic.azure.com", StringComparison.Ordinal) || h.EndsWith(".api.powerplatform.com", StringComparison.Ordinal)
            || h.EndsWith(".powerautomate.com", StringComparison.Ordinal) => NotifyFormat.Teams,
        _ => NotifyFormat.Json,
    };

    /// <summary><c>dingtalk webhook on oapi.dingtalk.com</c>: never the path or query, which hold the token.</summary>
    public override string ToString() => $"{Format.ToString().ToLowerInvariant()} webhook on {Url.Authority}";
}
