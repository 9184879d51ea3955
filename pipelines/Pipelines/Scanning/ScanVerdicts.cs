using Pipelines.Workspace;

namespace Pipelines.Scanning;

/// <summary>
/// Every digest's latest scan verdict in the state (<c>records.scans</c>, keyed by digest), next to the last scan
/// (<c>records.scan</c>): scanning another image never makes the state forget that this one failed.
/// </summary>
internal static class ScanVerdicts
{
    /// <summary>The key under which the state keeps the verdicts by digest.</summary>
    public const string StateKey = "scans";

    /// <summary>Records <paramref name="verdict"/> as its digest's latest and as the last scan.</summary>
    public static void Record(PipelineState state, ScanVerdict verdict)
    {
        var all = state.GetRecord<Dictionary<string, ScanVerdict>>(StateKey) ?? new Dictionary<string, ScanVerdict>(StringComparer.Ordinal);
        all[verdict.ImageDigest] = verdict;
        state.SetRecord(StateKey, all);
        state.SetRecord(ScanVerdict.StateKey, verdict);
    }

    /// <summary>The latest verdict recorded for <paramref name="digest"/>, or null when it was never scanned here.</summary>
    public static ScanVerdict? For(PipelineState state, string digest)
    {
        if (state.GetRecord<Dictionary<string, ScanVerdict>>(StateKey)?.GetValueOrDefault(digest) is { } recorded) return recorded;
        // A state written before verdicts were kept by digest holds only the last scan.
        return state.GetRecord<ScanVerdict>(ScanVerdict.StateKey) is { } last && last.ImageDigest == digest ? last : null;
    }

    /// <summary>What Deploy weighs for <paramref name="digest"/>: its own latest verdict, else the last scan (of another digest).</summary>
    public static ScanVerdict? ForDeploy(PipelineState state, string? digest) =>
        (digest is null ? null : For(state, digest)) ?? state.GetRecord<ScanVerdict>(ScanVerdict.StateKey);
}
