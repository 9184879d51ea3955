namespace Pipelines.GitOps;

/// <summary>The Receiver types this notifier can sign for (notification.toolkit.fluxcd.io/v1).</summary>
internal enum FluxReceiverType
{
    /// <summary>A <c>generic-hmac</c> Receiver: the body is signed with HMAC-SHA256 in <c>X-Signature</c>.</summary>
    GenericHmac,
    /// <summary>A <c>github</c> Receiver: the body is signed as GitHub signs webhooks, in <c>X-Hub-Signature-256</c>.</summary>
    GitHub,
}
