using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shortlink.Links;

namespace Shortlink.Tests;

public sealed class FailureTests
{
    [Fact]
    public async Task When_no_free_code_can_be_found_the_client_gets_a_500_problem_and_the_metrics_count_it()
    {
        // Arrange: a generator that always proposes the same code, so the second link can never be stored.
        await using var service = await RunningShortlink.StartAsync(services =>
            services.AddSingleton<ICodeGenerator>(new ScriptedCodeGenerator(Enumerable.Repeat("AAAAAAA", 1 + LinkShortener.MaxAttempts))));
        await service.Client.CreateLinkAsync("https://example.com/first");

        // Act
        var response = await service.Client.CreateLinkAsync("https://example.com/second");
        var metrics = PrometheusScrape.Parse(await service.Client.GetStringAsync("metrics"));

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        await response.ReadJsonAsync("application/problem+json");
        Assert.Equal(1, Assert.Single(metrics.Where(Metrics.MetricsEndpoints.RequestsTotal, ("method", "POST"), ("endpoint", "/links"), ("code", "500"))).Value);
    }
}
