using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Analysis;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Analysis;

/// <summary>What the client sends (form-encoded queries, credentials) and how it classifies answers that are not results.</summary>
public class PrometheusClientTests
{
    private const string Vector = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1764500000.123,"0.5"]}]}}""";

    private static Task<FakeServer> ServeAsync(int status, string body) =>
        FakeServer.StartAsync(app => app.MapPost("/api/v1/query", () => Results.Text(body, "application/json", statusCode: status)));

    [Fact]
    public async Task A_bearer_token_is_sent_as_the_authorization_header_and_the_query_is_form_encoded()
    {
        await using var server = await ServeAsync(200, Vector);
        using var client = new PrometheusClient(server.Url, new PrometheusCredentials(BearerToken: "s3cret"));

        var samples = await client.QueryAsync("sum(rate(x[1m]))", DateTimeOffset.FromUnixTimeSeconds(1764500000), CancellationToken.None);

        Assert.Equal(0.5, Assert.Single(samples).Value);
        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
        Assert.Contains("query=sum%28rate%28x%5B1m%5D%29%29", request.Body);
        Assert.Contains("time=1764500000", request.Body);
    }

    [Fact]
    public async Task Basic_auth_is_sent_for_a_username_and_password_and_a_path_prefix_is_kept()
    {
        await using var server = await FakeServer.StartAsync(app => app.MapPost("/prefix/api/v1/query", () => Results.Text(Vector, "application/json")));
        using var client = new PrometheusClient(new Uri(server.Url, "prefix"), new PrometheusCredentials(Username: "ak", Password: "sk"));

        await client.QueryAsync("up", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("Basic " + Convert.ToBase64String("ak:sk"u8.ToArray()), server.Requests[0].Headers["Authorization"]);
    }

    [Fact]
    public async Task Rejected_credentials_say_which_parameters_to_check()
    {
        await using var server = await ServeAsync(401, "Unauthorized");
        using var client = new PrometheusClient(server.Url);

        var error = await Assert.ThrowsAsync<PrometheusException>(() => client.QueryAsync("up", DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(PrometheusFailure.Unauthorized, error.Failure);
        Assert.Contains("--prometheus-token", error.Message);
    }

    [Fact]
    public async Task A_server_that_is_not_the_api_is_unreachable_not_a_result()
    {
        await using var server = await ServeAsync(503, "Service Unavailable");
        using var client = new PrometheusClient(server.Url);

        var error = await Assert.ThrowsAsync<PrometheusException>(() => client.QueryAsync("up", DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(PrometheusFailure.Unreachable, error.Failure);
        Assert.Contains("503", error.Message);
    }

    [Theory]
    [InlineData(500, "internal", "ServerError", "failed on its side")]
    [InlineData(503, "timeout", "ServerError", "gave up on")]
    [InlineData(400, "bad_data", "QueryError", "fix the query in the objectives file")]
    [InlineData(422, "execution", "QueryError", "fix the query in the objectives file")]
    public async Task An_api_error_says_whose_fault_it_is_and_only_the_query_s_own_errors_ask_to_fix_the_query(int status, string errorType, string failureName, string expected)
    {
        var failure = Enum.Parse<PrometheusFailure>(failureName); // the enum is internal: a public theory takes its name
        await using var server = await ServeAsync(status, $$"""{"status":"error","errorType":"{{errorType}}","error":"something broke"}""");
        using var client = new PrometheusClient(server.Url);

        var error = await Assert.ThrowsAsync<PrometheusException>(() => client.QueryAsync("up", DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(failure, error.Failure);
        Assert.Contains(expected, error.Message);
        Assert.Contains("something broke", error.Message);
        if (failure == PrometheusFailure.ServerError) Assert.DoesNotContain("fix the query", error.Message);
    }

    [Fact]
    public void Both_a_token_and_basic_auth_are_refused()
    {
        var error = Assert.Throws<PipelineException>(() => new PrometheusCredentials("t", "u", "p").Validate());

        Assert.Contains("not both", error.Message);
    }

    [Fact]
    public async Task A_range_query_returns_the_points_of_each_series_from_the_real_prometheus()
    {
        await using var service = await ShortlinkProcess.StartAsync();
        await using var prometheus = await PrometheusServer.StartAsync(("range", service.Address));
        await prometheus.WaitForTargetsAsync(1, TimeSpan.FromSeconds(30));
        using var client = new PrometheusClient(prometheus.Url);
        var end = DateTimeOffset.UtcNow;

        var series = await client.QueryRangeAsync("up{namespace=\"range\"}", end.AddSeconds(-2), end, TimeSpan.FromSeconds(1), CancellationToken.None);

        var points = Assert.Single(series).Points;
        Assert.InRange(points.Count, 1, 3);
        Assert.All(points, p => Assert.Equal(1, p.Value));
    }
}
