using Pipelines.Oci;

namespace Pipelines.Registry;

/// <summary>When a failed call may be sent again.</summary>
internal enum RetryMode
{
    /// <summary>GET, HEAD, PUT of a manifest or a finalizing blob PUT: repeating cannot change the outcome.</summary>
    Idempotent,
    /// <summary>POST starting an upload or mount: repeated on a reset, a timeout, 429 or 5xx from a proxy; a session a lost answer orphaned expires by itself.</summary>
    BeforeProcessing,
    /// <summary>PATCH: a repeated chunk would shift the upload; never repeated.</summary>
    Never,
}

/// <summary>One registry call, as a recipe: it is rebuilt for each retry and each auth round.</summary>
internal sealed record RegistryRequest(HttpMethod Method, ImageReference Repository, string PathOrUrl, string What)
{
    /// <summary>Creates the body afresh for every send (null: no body).</summary>
    public Func<HttpContent>? Content { get; init; }

    public IReadOnlyList<string> Accept { get; init; } = [];

    public bool Push { get; init; }

    /// <summary>Another repository of the same registry read in this call (the source of a mount).</summary>
    public string? AlsoPullFrom { get; init; }

    public RetryMode Retry { get; init; } = RetryMode.Idempotent;

    /// <summary>The token scopes this call needs.</summary>
    public IReadOnlyList<string> Scopes =>
        AlsoPullFrom is null
            ? [$"repository:{Repository.Repository}:{(Push ? "pull,push" : "pull")}"]
            : [$"repository:{Repository.Repository}:{(Push ? "pull,push" : "pull")}", $"repository:{AlsoPullFrom}:pull"];
}
