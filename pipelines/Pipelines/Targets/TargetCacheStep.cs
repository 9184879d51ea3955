using System.Globalization;
using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Targets;

/// <summary>
/// The engine's cache decision around one cacheable target: fingerprint its inputs, compare with its last
/// success, check that success's outputs still hold, and either skip it (republishing what it published and
/// putting its output files back) or let it run and remember the run when it succeeds — never when it fails.
/// </summary>
internal sealed class TargetCacheStep(TargetCache cache, bool fresh, PipelineHost host, PipelineState state, string rootDirectory, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>What the step decided for a target.</summary>
    /// <param name="SkipReason">Set when the target is skipped: "cached: inputs unchanged since …".</param>
    /// <param name="Notes">The cached run's notes, for the summary of a skipped target.</param>
    /// <param name="Fingerprint">The inputs to remember after a success; null when the result must not be cached.</param>
    /// <param name="Published">The outputs a skipped target republished from its cached run.</param>
    internal sealed record Decision(string? SkipReason, IReadOnlyList<KeyValuePair<string, string>> Notes, Fingerprint? Fingerprint)
    {
        public IReadOnlyCollection<string> Published { get; init; } = [];
    }

    public async Task<Decision> DecideAsync(TargetDefinition definition, CancellationToken cancellationToken)
    {
        var name = definition.Name;
        var fingerprint = new Fingerprint(rootDirectory);
        try
        {
            foreach (var declare in definition.InputDeclarations) await declare(fingerprint, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Warn($"{name}: its inputs could not be fingerprinted ({FirstLine(e.Message)}); it runs and is not cached.");
            return Run(null);
        }
        if (fingerprint.NotCacheableReason is { } notCacheable)
        {
            host.Info($"{name} runs: not cacheable ({notCacheable}).");
            return Run(null);
        }
        if (fresh)
        {
            host.Info($"{name} runs: --fresh ignores the cache.");
            return Run(fingerprint);
        }

        var cached = cache.Load(name);
        var hash = fingerprint.Hash;
        var why = cached is null ? "no cached success"
            : cached.Fingerprint != hash ? "inputs changed: " + Describe(fingerprint.ChangedSince(cached.Inputs))
            : Expired(fingerprint, cached) ?? cache.UnrestorableFile(cached);
        // A kept copy that changed since it was kept (a truncated report) is never put back: the target makes it again.
        if (why is not null && cached is not null && why.StartsWith("the cached copy of", StringComparison.Ordinal))
            host.Warn($"{name}: {why}; it is not restored and {name} runs again.");
        if (why is null)
            foreach (var check in definition.CacheChecks)
            {
                try { why = await check(cached!, cancellationToken); }
                catch (Exception e) when (e is not OperationCanceledException) { why = "its outputs could not be checked: " + FirstLine(e.Message); }
                if (why is not null)
                {
                    why = "cached outputs no longer hold: " + why;
                    break;
                }
            }
        if (why is not null)
        {
            host.Info($"{name} runs: {why}.");
            return Run(fingerprint);
        }

        // Skipped: everything the run published is published again, as if it had run.
        cache.RestoreFiles(cached!, rootDirectory);
        foreach (var (key, record) in cached!.Records) state.RestoreRecord(key, record);
        var context = new TargetContext(definition, host, state, cancellationToken);
        foreach (var (output, value) in cached.Outputs)
            if (definition.Outputs.Contains(output)) context.Publish(output, value);
        var reason = $"cached: inputs unchanged since {cached.SucceededAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, fingerprint {hash[..4]}…";
        host.Info($"{name} skipped: {reason}");
        return new Decision(reason, cached.Notes, null) { Published = context.Published.Keys.ToList() };

        static Decision Run(Fingerprint? fingerprint) => new(null, [], fingerprint);
    }

    /// <summary>Before the target runs: collect the records it writes.</summary>
    public void BeforeRun() => state.TrackWrites();

    /// <summary>After a success: remember what the run read and published.</summary>
    public void Succeeded(TargetDefinition definition, Decision decision, TargetContext context)
    {
        var written = state.TakeWrites();
        RemoveIncompleteOutputs(definition);
        if (decision.Fingerprint is not { } fingerprint) return;
        try
        {
            var files = definition.OutputFilePaths
                .Where(p => File.Exists(Path.Combine(rootDirectory, p)) || Directory.Exists(Path.Combine(rootDirectory, p)))
                .ToList();
            cache.Store(new CachedRun(definition.Name, fingerprint.Hash, _clock.GetUtcNow(), fingerprint.Entries,
                context.Published, written, context.Notes, files), rootDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            host.Warn($"{definition.Name} succeeded but could not be cached ({e.Message}); the next run runs it again.");
        }
    }

    /// <summary>A failed run's partial outputs (<c>trivy.json.incomplete</c>) are stale once a run succeeds: removed, never cached.</summary>
    private void RemoveIncompleteOutputs(TargetDefinition definition)
    {
        foreach (var output in definition.OutputFilePaths)
        {
            var incomplete = Path.Combine(rootDirectory, output) + TargetCache.IncompleteSuffix;
            try { if (File.Exists(incomplete)) File.Delete(incomplete); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                host.Warn($"{definition.Name}: could not remove {output}{TargetCache.IncompleteSuffix} of an earlier failed run ({e.Message}); delete it by hand.");
            }
        }
    }

    /// <summary>After a failure or cancellation: the target's last success no longer counts.</summary>
    public void Failed(TargetDefinition definition)
    {
        state.TakeWrites();
        cache.Forget(definition.Name);
    }

    private string? Expired(Fingerprint fingerprint, CachedRun cached)
    {
        var now = _clock.GetUtcNow();
        if (fingerprint.ExpiresAt is { } at && now >= at)
            return $"the cached result expired at {Time(at)} ({fingerprint.ExpiryReason})";
        if (fingerprint.MaximumAge is { } age && now - cached.SucceededAt >= age)
            return $"the cached result expired at {Time(cached.SucceededAt + age)} ({fingerprint.MaximumAgeReason})";
        return null;
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string Describe(IReadOnlyList<string> changed) =>
        changed.Count <= 3 ? string.Join(", ", changed) : $"{string.Join(", ", changed.Take(3))} and {changed.Count - 3} more";

    private static string FirstLine(string text) => text.Split('\n', 2)[0];
}
