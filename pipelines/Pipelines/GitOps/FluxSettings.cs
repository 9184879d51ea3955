using Pipelines.Kubernetes;

namespace Pipelines.GitOps;

/// <summary>How to tell Flux about the push: the Receiver to poke and the Kustomization to wait for.</summary>
internal sealed record FluxSettings
{
    /// <summary>The Receiver's URL, token and type; the commit is filled in after the push.</summary>
    public (Uri Url, string Token, FluxReceiverType Type)? Receiver { get; init; }
    /// <summary>Watches the Kustomization after the push; null: do not wait for Flux.</summary>
    public FluxWaiter? Waiter { get; init; }
    /// <summary>The Kustomization whose applied revision is awaited.</summary>
    public (string Namespace, string Name)? Kustomization { get; init; }
    /// <summary>How long to wait for Flux to apply the pushed commit before the deploy fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>The branch Flux watches, named in the receiver's payload.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>The receiver from <c>--flux-receiver-url</c> and <c>--flux-receiver-token</c>; null when no URL is given.</summary>
    public static (Uri Url, string Token, FluxReceiverType Type)? ReceiverFrom(string? url, string? token, FluxReceiverType type)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new PipelineException($"--flux-receiver-url '{url}' is not an http(s) URL.");
        if (string.IsNullOrEmpty(token))
            throw new PipelineException("--flux-receiver-url needs --flux-receiver-token (the token in the Receiver's Secret).");
        return (uri, token, type);
    }

    /// <summary>Reads <c>--flux-kustomization namespace/name</c>.</summary>
    public static (string Namespace, string Name) ParseKustomization(string text) =>
        text.Split('/') is [var ns, var name] && ns.Length > 0 && name.Length > 0
            ? (ns, name)
            : throw new PipelineException($"--flux-kustomization '{text}' is not namespace/name (e.g. flux-system/apps).");
}
