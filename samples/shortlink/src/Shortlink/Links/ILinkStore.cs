namespace Shortlink.Links;

/// <summary>Where links are kept. Implementations must be safe to call from many requests at once.</summary>
public interface ILinkStore
{
    /// <summary>True when the store can serve requests; drives <c>GET /readyz</c>.</summary>
    bool IsReady { get; }

    /// <summary>How many links the store holds.</summary>
    int Count { get; }

    /// <summary>Adds <paramref name="link"/> unless its code is already taken.</summary>
    /// <returns>False when the code exists already (the caller picks another code).</returns>
    bool TryAdd(Link link);

    /// <summary>The link with this code, or null.</summary>
    Link? Find(string code);
}
