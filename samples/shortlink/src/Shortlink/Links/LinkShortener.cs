namespace Shortlink.Links;

/// <summary>Creates links with fresh codes, retrying when a generated code is taken.</summary>
public sealed class LinkShortener(ILinkStore store, ICodeGenerator codes)
{
    /// <summary>How many codes are tried before giving up.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Stores <paramref name="target"/> under a new code.</summary>
    /// <exception cref="InvalidOperationException">Every attempt hit a taken code (the code space is exhausted or the generator is broken).</exception>
    public Link Shorten(Uri target)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // TryAdd is atomic, so two requests that draw the same code cannot both win it.
            var link = new Link(codes.Next(), target);
            if (store.TryAdd(link))
                return link;
        }

        throw new InvalidOperationException($"No free short code after {MaxAttempts} attempts.");
    }
}
