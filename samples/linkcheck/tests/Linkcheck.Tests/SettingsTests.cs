namespace Linkcheck.Tests;

public sealed class SettingsTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void I_get_the_urls_in_order_with_a_60_second_interval_and_a_10_second_timeout_by_default()
    {
        var settings = LinkcheckSettings.FromEnvironment(Environment(("LINKCHECK_URLS", " https://example.com/a,http://example.org:8080/health\n https://example.net ")));

        Assert.Equal(["https://example.com/a", "http://example.org:8080/health", "https://example.net/"], settings.Urls.Select(u => u.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Timeout);
    }

    [Fact]
    public void A_short_interval_alone_lowers_the_default_timeout_to_it()
    {
        var settings = LinkcheckSettings.FromEnvironment(Environment(("LINKCHECK_URLS", "https://example.com/"), ("LINKCHECK_INTERVAL_SECONDS", "3")));

        Assert.Equal(TimeSpan.FromSeconds(3), settings.Interval);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Timeout);
    }

    [Theory]
    [InlineData(null, null, null, "LINKCHECK_URLS is not set")]
    [InlineData("  ", null, null, "LINKCHECK_URLS is not set")]
    [InlineData("https://example.com/,example.org", null, null, "LINKCHECK_URLS holds `example.org`")]
    [InlineData("ftp://example.com/file", null, null, "LINKCHECK_URLS holds `ftp://example.com/file`")]
    [InlineData("https://example.com/", "0", null, "LINKCHECK_INTERVAL_SECONDS is `0`: give whole seconds from 1 to 86400")]
    [InlineData("https://example.com/", "1m", null, "LINKCHECK_INTERVAL_SECONDS is `1m`")]
    [InlineData("https://example.com/", null, "-5", "LINKCHECK_TIMEOUT_SECONDS is `-5`: give whole seconds from 1 to 300")]
    [InlineData("https://example.com/", "5", "30", "LINKCHECK_TIMEOUT_SECONDS (30) is longer than LINKCHECK_INTERVAL_SECONDS (5)")]
    public void Bad_settings_are_refused_with_a_message_naming_the_variable(string? urls, string? interval, string? timeout, string expected)
    {
        var variables = new List<(string, string)>();
        if (urls is not null) variables.Add(("LINKCHECK_URLS", urls));
        if (interval is not null) variables.Add(("LINKCHECK_INTERVAL_SECONDS", interval));
        if (timeout is not null) variables.Add(("LINKCHECK_TIMEOUT_SECONDS", timeout));

        var error = Assert.Throws<SettingsException>(() => LinkcheckSettings.FromEnvironment(Environment([.. variables])));

        Assert.StartsWith(expected, error.Message);
    }
}
