namespace Linkcheck;

/// <summary>Running totals per URL since the worker started: checks, failures, and the current run of failures.</summary>
public sealed class LinkHistory
{
    private readonly Dictionary<Uri, LinkTotals> _totals = [];

    /// <summary>Adds <paramref name="result"/> to its URL's totals and returns them.</summary>
    public LinkTotals Record(LinkResult result)
    {
        var before = _totals.GetValueOrDefault(result.Url) ?? new LinkTotals(0, 0, 0);
        var after = result.Ok
            ? before with { Checks = before.Checks + 1, ConsecutiveFailures = 0 }
            : new LinkTotals(before.Checks + 1, before.Failures + 1, before.ConsecutiveFailures + 1);
        _totals[result.Url] = after;
        return after;
    }

    /// <summary>The totals of <paramref name="url"/>; zeros when it was never checked.</summary>
    public LinkTotals Of(Uri url) => _totals.GetValueOrDefault(url) ?? new LinkTotals(0, 0, 0);
}

/// <summary>One URL's totals.</summary>
/// <param name="Checks">Checks made.</param>
/// <param name="Failures">Checks that failed.</param>
/// <param name="ConsecutiveFailures">Failures since the last success (0 when the last check passed).</param>
public sealed record LinkTotals(int Checks, int Failures, int ConsecutiveFailures);
