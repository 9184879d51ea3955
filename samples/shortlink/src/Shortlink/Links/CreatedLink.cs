namespace Shortlink.Links;

/// <summary>Answer of <c>POST /links</c>.</summary>
/// <param name="Code">The short code.</param>
/// <param name="ShortUrl">The absolute URL that redirects to the target.</param>
public sealed record CreatedLink(string Code, string ShortUrl);
