namespace Pipelines.Analysis;

/// <summary>How an objective's observed value is compared with its threshold; the objective holds when the comparison is true.</summary>
internal enum Comparison
{
    /// <summary><c>&gt;=</c>: e.g. availability at least 0.999.</summary>
    AtLeast,
    /// <summary><c>&gt;</c>.</summary>
    Above,
    /// <summary><c>&lt;=</c>.</summary>
    AtMost,
    /// <summary><c>&lt;</c>: e.g. p95 latency under 0.3 s.</summary>
    Below,
}
