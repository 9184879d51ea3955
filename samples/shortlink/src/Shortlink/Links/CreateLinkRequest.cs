namespace Shortlink.Links;

/// <summary>Body of <c>POST /links</c>.</summary>
/// <param name="Url">The absolute http or https URL to shorten.</param>
public sealed record CreateLinkRequest(string? Url);
