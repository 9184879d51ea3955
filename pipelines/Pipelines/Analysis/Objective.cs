using System.Globalization;

namespace Pipelines.Analysis;

/// <summary>One service-level objective: a PromQL query that returns one number, and the bound it must keep.</summary>
/// <param name="Name">The objective's name, used in messages (e.g. <c>availability</c>).</param>
/// <param name="Query">PromQL returning a single-series vector; <c>{{interval}}</c>, <c>{{window}}</c>, <c>{{namespace}}</c>, <c>{{app}}</c> and <c>{{environment}}</c> are filled in.</param>
/// <param name="Comparison">How the value is compared with <paramref name="Threshold"/>.</param>
/// <param name="Threshold">The bound.</param>
internal sealed record Objective(string Name, string Query, Comparison Comparison, double Threshold)
{
    /// <summary>Set when this objective is an HTTP probe (<see cref="HttpProbe.AsObjective"/>): <see cref="Query"/> is then its URL.</summary>
    public HttpProbe? Probe { get; init; }

    /// <summary>The comparison as written in the objectives file: <c>&gt;=</c>, <c>&gt;</c>, <c>&lt;=</c> or <c>&lt;</c>.</summary>
    public string Operator => Comparison switch
    {
        Comparison.AtLeast => ">=",
        Comparison.Above => ">",
        Comparison.AtMost => "<=",
        _ => "<",
    };

    /// <summary>Whether a (finite or infinite, never NaN) value keeps the objective.</summary>
    public bool IsMetBy(double value) => Comparison switch
    {
        Comparison.AtLeast => value >= Threshold,
        Comparison.Above => value > Threshold,
        Comparison.AtMost => value <= Threshold,
        _ => value < Threshold,
    };

    /// <summary>e.g. <c>availability &gt;= 0.999</c>.</summary>
    public string Describe() => $"{Name} {Operator} {Threshold.ToString("G", CultureInfo.InvariantCulture)}";

    /// <summary>Parses <c>&gt;=</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&lt;</c>; null for anything else.</summary>
    public static Comparison? ParseOperator(string text) => text.Trim() switch
    {
        ">=" => Comparison.AtLeast,
        ">" => Comparison.Above,
        "<=" => Comparison.AtMost,
        "<" => Comparison.Below,
        _ => null,
    };
}
