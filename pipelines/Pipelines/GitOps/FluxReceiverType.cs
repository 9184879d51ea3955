namespace Pipelines.GitOps;

/// <summary>The Receiver types this notifier can sign for (notification.toolkit.fluxcd.io/v1).</summary>
public enum FluxReceiverType { GenericHmac, GitHub }
