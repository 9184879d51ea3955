namespace Linkcheck;

/// <summary>The outcome of checking one URL once.</summary>
/// <param name="Url">The URL checked.</param>
/// <param name="Ok">True when the final response (after at most 5 redirects) had a 2xx status.</param>
/// <param name="Status">The final HTTP status code; null when no response came.</param>
/// <param name="Elapsed">Time until the response headers arrived or the check failed.</param>
/// <param name="Error">Why no response came (timeout, refused connection, DNS); null when one did.</param>
public sealed record LinkResult(Uri Url, bool Ok, int? Status, TimeSpan Elapsed, string? Error);
