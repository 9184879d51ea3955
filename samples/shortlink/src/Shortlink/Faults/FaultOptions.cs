using System.Globalization;

namespace Shortlink.Faults;

/// <summary>
/// The fault knob, for release-analysis tests and drills: <c>SHORTLINK_FAULT_ERROR_RATE</c> (0–1, the share of
/// requests answered 503) and <c>SHORTLINK_FAULT_LATENCY_MS</c> (added to every request), which never touch the probes
/// or <c>/metrics</c>; and <c>SHORTLINK_FAULT_HEALTHZ_STATUS</c> (an HTTP status, e.g. 503) that <c>/healthz</c>
/// answers instead of 200, so a smoke check can be seen failing while the SLOs hold. Off unless set.
/// </summary>
public sealed record FaultOptions(double ErrorRate, TimeSpan AddedLatency)
{
    /// <summary>The liveness-fault setting: the status <c>/healthz</c> answers (100–599); unset or 0 is off.</summary>
    public const string HealthzStatusKey = "SHORTLINK_FAULT_HEALTHZ_STATUS";

    /// <summary>The status <c>/healthz</c> answers instead of 200; null when that fault is off.</summary>
    public int? HealthzStatus { get; init; }

    /// <summary>The error-rate setting (environment variable or configuration key).</summary>
    public const string ErrorRateKey = "SHORTLINK_FAULT_ERROR_RATE";

    /// <summary>The added-latency setting in milliseconds.</summary>
    public const string LatencyKey = "SHORTLINK_FAULT_LATENCY_MS";

    /// <summary>True when any fault is switched on.</summary>
    public bool Enabled => ErrorRate > 0 || AddedLatency > TimeSpan.Zero || HealthzStatus is not null;

    /// <summary>Reads the knob; a value that is not a number in range stops the app with a message naming the setting.</summary>
    public static FaultOptions From(IConfiguration configuration)
    {
        var rate = Read(configuration, ErrorRateKey, 0, 1);
        var latency = Read(configuration, LatencyKey, 0, 600_000);
        var healthz = (int)Read(configuration, HealthzStatusKey, 0, 599);
        if (healthz is > 0 and < 100) throw new InvalidOperationException($"{HealthzStatusKey}={healthz} is not an HTTP status (100 to 599, or 0 for off).");
        return new FaultOptions(rate, TimeSpan.FromMilliseconds(latency)) { HealthzStatus = healthz == 0 ? null : healthz };
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
