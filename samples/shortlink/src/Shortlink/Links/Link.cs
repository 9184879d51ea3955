namespace Shortlink.Links;

/// <summary>A short code and the absolute http(s) URL it redirects to.</summary>
public sealed record Link(string Code, Uri Target);
