namespace Pipelines.Tests.Registry;

/// <summary>
/// Deterministic fault plans for a proxy in front of a registry, counted over every request whatever its method:
/// <c>503:N</c> answers 503 to every Nth request, <c>reset:N</c> resets the connection of every Nth request (before it
/// reaches the registry), <c>random:N:SEED</c> faults one request in N at random (503 or reset, half each) from a
/// fixed seed, <c>none</c> forwards everything. The bench's fault proxy (bench/faultproxy) compiles this same file.
/// </summary>
public static class FaultModes
{
    /// <summary>What a plan returns to reset the connection instead of answering.</summary>
    public const int Reset = -1;

    /// <summary>A plan: called once per request with its method; returns a status to answer instead, <see cref="Reset"/>, or null to forward.</summary>
    public static Func<string, int?> Parse(string mode)
    {
        var parts = mode.Split(':');
        var every = parts.Length > 1 && int.TryParse(parts[1], out var n) && n > 0 ? n : 0;
        var seen = 0;
        switch (parts[0])
        {
            case "none":
                return _ => null;
            case "503" when every > 0:
                return _ => Interlocked.Increment(ref seen) % every == 0 ? 503 : null;
            case "reset" when every > 0:
                return _ => Interlocked.Increment(ref seen) % every == 0 ? Reset : null;
            case "random" when every > 0 && parts.Length > 2 && int.TryParse(parts[2], out var seed):
                var random = new Random(seed);
                return _ =>
                {
                    lock (random)
                    {
                        if (random.Next(every) != 0) return null;
                        return random.Next(2) == 0 ? 503 : Reset;
                    }
                };
            default:
                throw new ArgumentException($"Unknown fault mode '{mode}': use none, 503:N, reset:N or random:N:SEED.", nameof(mode));
        }
    }
}
