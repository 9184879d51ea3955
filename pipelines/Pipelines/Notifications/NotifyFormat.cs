namespace Pipelines.Notifications;

/// <summary>The payload a notification endpoint expects: <c>--notify-format</c>; <see cref="Auto"/> reads it from the URL's host.</summary>
public enum NotifyFormat
{
    /// <summary>From the URL's host (hooks.slack.com, oapi.dingtalk.com, qyapi.weixin.qq.com, open.feishu.cn / open.larksuite.com, Power Automate's hosts), else <see cref="Json"/>.</summary>
    Auto,
    /// <summary>Slack incoming webhook.</summary>
    Slack,
    /// <summary>DingTalk custom robot (signed when the URL carries <c>#secret=</c>).</summary>
    DingTalk,
    /// <summary>WeCom (WeChat Work) group robot.</summary>
    WeCom,
    /// <summary>Lark / Feishu custom bot (signed when the URL carries <c>#secret=</c>).</summary>
    Lark,
    /// <summary>Microsoft Teams through a Workflows (Power Automate) webhook: an Adaptive Card.</summary>
    Teams,
    /// <summary>The toolkit's own JSON, for anything else.</summary>
    Json,
}
