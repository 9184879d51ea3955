using System.Collections.Concurrent;

namespace Shortlink.Links;

/// <summary>Keeps links in process memory; they are lost on restart, which suits a sample service.</summary>
public sealed class InMemoryLinkStore : ILinkStore
{
    // Codes are case-sensitive (base62), so compare ordinally.
    private readonly ConcurrentDictionary<string, Link> _links = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool IsReady => true;

    /// <inheritdoc />
    public int Count => _links.Count;

    /// <inheritdoc />
    public bool TryAdd(Link link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return _links.TryAdd(link.Code, link);
    }

    /// <inheritdoc />
    public Link? Find(string code) => _links.TryGetValue(code, out var link) ? link : null;
}
