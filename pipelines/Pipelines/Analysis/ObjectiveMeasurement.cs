using System.Globalization;

namespace Pipelines.Analysis;

/// <summary>One objective measured in one check: its value and whether it held, or why there is no answer.</summary>
/// <param name="Objective">What was measured.</param>
/// <param name="Value">The observed value; null when there is none.</param>
/// <param name="Problem">Why the measurement is inconclusive (and what to check); null when it has a value.</param>
internal sealed record ObjectiveMeasurement(Objective Objective, double? Value, string? Problem)
{
    /// <summary>Set when Prometheus could not answer (not data): the check is an error, not inconclusive.</summary>
    public PrometheusFailure? Failure { get; init; }

    /// <summary>What else the value needs to be understood (a probe's failed request); null when nothing.</summary>
    public string? Detail { get; init; }

    /// <summary>A value that keeps or breaks the objective.</summary>
    public bool HasValue => Problem is null && Value is not null;

    /// <summary>True when the value keeps the objective.</summary>
    public bool Met => HasValue && Objective.IsMetBy(Value!.Value);

    /// <summary>True when the value breaks the objective.</summary>
    public bool Breached => HasValue && !Objective.IsMetBy(Value!.Value);

    /// <summary>e.g. <c>availability observed 0.912 (threshold &gt;= 0.999)</c>.</summary>
    public string Describe() => HasValue
        ? $"{Objective.Name} observed {Format(Value!.Value)} (threshold {Objective.Operator} {Format(Objective.Threshold)})" + (Detail is null ? "" : $": {Detail}")
        : $"{Objective.Name}: {Problem}";

    /// <summary>A value as Prometheus would print it, with up to 6 significant digits.</summary>
    public static string Format(double value) => double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("G6", CultureInfo.InvariantCulture);
}
