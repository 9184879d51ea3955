using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shortlink.Links;

namespace Shortlink.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task A_running_service_is_live_and_ready()
    {
        await using var service = await RunningShortlink.StartAsync();

        var live = await service.Client.GetAsync("healthz");
        var ready = await service.Client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task A_service_whose_store_is_not_ready_is_live_but_not_ready()
    {
        await using var service = await RunningShortlink.StartAsync(services => services.AddSingleton<ILinkStore>(new UnreadyLinkStore()));

        var live = await service.Client.GetAsync("healthz");
        var ready = await service.Client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        await ready.ReadJsonAsync("application/problem+json");
    }

    private sealed class UnreadyLinkStore : ILinkStore
    {
        private readonly InMemoryLinkStore _inner = new();

        public bool IsReady => false;

        public int Count => _inner.Count;

        public bool TryAdd(Link link) => _inner.TryAdd(link);

        public Link? Find(string code) => _inner.Find(code);
    }
}
