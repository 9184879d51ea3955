namespace Pipelines.Scanning;

/// <summary>Conversions between <see cref="Severity"/> and Trivy's upper-case names.</summary>
internal static class Severities
{
    /// <summary>Highest first: the order of every count and table the toolkit prints.</summary>
    public static IReadOnlyList<Severity> Descending { get; } = [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Unknown];

    /// <summary>Reads a Trivy severity name; anything unrecognised is <see cref="Severity.Unknown"/>, as Trivy treats it.</summary>
    public static Severity Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "CRITICAL" => Severity.Critical,
        "HIGH" => Severity.High,
        "MEDIUM" => Severity.Medium,
        "LOW" => Severity.Low,
        _ => Severity.Unknown,
    };

    /// <summary>Trivy's spelling: <c>CRITICAL</c>, <c>HIGH</c>, …</summary>
    public static string ToTrivyName(this Severity severity) => severity.ToString().ToUpperInvariant();

    /// <summary>Levels at or above <paramref name="threshold"/>, highest first.</summary>
    public static IEnumerable<Severity> AtOrAbove(Severity threshold) => Descending.Where(s => s >= threshold);
}
