using Microsoft.AspNetCore.Hosting;

namespace Shortlink.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task Without_a_listen_address_the_service_listens_on_port_8080()
    {
        await using var app = ShortlinkApp.Create([]);

        Assert.Equal("8080", app.Configuration[WebHostDefaults.HttpPortsKey]);
    }

    [Fact]
    public async Task An_explicit_urls_argument_wins_over_the_default_port()
    {
        await using var app = ShortlinkApp.Create(["--urls", "http://127.0.0.1:9999"]);

        Assert.Null(app.Configuration[WebHostDefaults.HttpPortsKey]);
        Assert.Equal("http://127.0.0.1:9999", app.Configuration[WebHostDefaults.ServerUrlsKey]);
    }
}
