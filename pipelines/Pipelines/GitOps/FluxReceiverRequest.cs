namespace Pipelines.GitOps;

/// <param name="Url">The receiver's URL: the webhook-receiver service plus the Receiver's <c>status.webhookPath</c>.</param>
/// <param name="Token">The Receiver Secret's <c>token</c>: the HMAC key. Secret.</param>
internal sealed record FluxReceiverRequest(Uri Url, string Token, FluxReceiverType Type, string Branch, string Commit);
