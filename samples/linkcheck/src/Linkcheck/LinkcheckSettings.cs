using System.Globalization;

namespace Linkcheck;

/// <summary>What the worker checks and how often; read from environment variables by <see cref="FromEnvironment"/>.</summary>
/// <param name="Urls">The absolute http/https URLs checked every round, in the order given.</param>
/// <param name="Interval">Time from the start of one round to the start of the next.</param>
/// <param name="Timeout">How long one check may take before it counts as failed.</param>
public sealed record LinkcheckSettings(IReadOnlyList<Uri> Urls, TimeSpan Interval, TimeSpan Timeout)
{
    /// <summary>Environment variable holding the URLs, separated by commas or white space.</summary>
    public const string UrlsVariable = "LINKCHECK_URLS";

    /// <summary>Environment variable holding the seconds between rounds (default 60).</summary>
    public const string IntervalVariable = "LINKCHECK_INTERVAL_SECONDS";

    /// <summary>Environment variable holding the seconds one check may take (default 10, or the interval when shorter).</summary>
    public const string TimeoutVariable = "LINKCHECK_TIMEOUT_SECONDS";

    /// <summary>
    /// Reads the settings through <paramref name="variable"/> (normally <see cref="Environment.GetEnvironmentVariable(string)"/>).
    /// </summary>
    /// <exception cref="SettingsException">A variable is missing or malformed; the message names it and says what it takes.</exception>
    public static LinkcheckSettings FromEnvironment(Func<string, string?> variable)
    {
        var text = variable(UrlsVariable);
        if (string.IsNullOrWhiteSpace(text))
            throw new SettingsException($"{UrlsVariable} is not set: give the URLs to check, separated by commas or spaces, e.g. {UrlsVariable}=https://example.com/,https://example.org/health");
        var urls = new List<Uri>();
        foreach (var item in text.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(item, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
                throw new SettingsException($"{UrlsVariable} holds `{item}`, which is not an absolute http:// or https:// URL; fix or remove it.");
            urls.Add(url);
        }
        var interval = Seconds(variable, IntervalVariable, 60, 1, 86_400);
        // The default timeout never exceeds the interval, so LINKCHECK_INTERVAL_SECONDS=5 alone is valid.
        var timeout = Seconds(variable, TimeoutVariable, (int)Math.Min(10, interval.TotalSeconds), 1, 300);
        if (timeout > interval)
            throw new SettingsException($"{TimeoutVariable} ({timeout.TotalSeconds:0}) is longer than {IntervalVariable} ({interval.TotalSeconds:0}): a round could overrun the next one; lower the timeout or raise the interval.");
        return new LinkcheckSettings(urls, interval, timeout);
    }

    private static TimeSpan Seconds(Func<string, string?> variable, string name, int fallback, int min, int max)
    {
        var text = variable(name);
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(fallback);
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < min || seconds > max)
            throw new SettingsException($"{name} is `{text}`: give whole seconds from {min} to {max} (default {fallback}).");
        return TimeSpan.FromSeconds(seconds);
    }
}
