using System.Globalization;

namespace Shortlink.Faults;

/// <summary>
/// The fault knob, for release-analysis tests and drills: <c>SHORTLINK_FAULT_ERROR_RATE</c> (0–1, the share of
/// requests answered 503) and <c>SHORTLINK_FAULT_LATENCY_MS</c> (added to every request). Probes and
/// <c>/metrics</c> are never faulted. Off unless set.
/// </summary>
public sealed record FaultOptions(double ErrorRate, TimeSpan AddedLatency)
{
    /// <summary>The error-rate setting (environment variable or configuration key).</summary>
    public const string ErrorRateKey = "SHORTLINK_FAULT_ERROR_RATE";

    /// <summary>The added-latency setting in milliseconds.</summary>
    public const string LatencyKey = "SHORTLINK_FAULT_LATENCY_MS";

    /// <summary>True when any fault is switched on.</summary>
    public bool Enabled => ErrorRate > 0 || AddedLatency > TimeSpan.Zero;

    /// <summary>Reads the knob; a value that is not a number in range stops the app with a message naming the setting.</summary>
    public static FaultOptions From(IConfiguration configuration)
    {
        var rate = Read(configuration, ErrorRateKey, 0, 1);
        var latency = Read(configuration, LatencyKey, 0, 600_000);
        return new FaultOptions(rate, TimeSpan.FromMilliseconds(latency));
    }

    private static double Read(IConfiguration configuration, string key, double min, double max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return 0;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{key}={text} is not a number from {min} to {max}.");
    }
}
