using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Shortlink.Links;

namespace Shortlink.Tests;

public sealed class LinkApiTests : IAsyncLifetime
{
    private RunningShortlink _service = null!;

    public async Task InitializeAsync() => _service = await RunningShortlink.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task A_created_link_redirects_to_its_url()
    {
        // Arrange
        const string target = "https://example.com/docs/page?q=1&lang=en";

        // Act
        var created = await _service.Client.CreateLinkAsync(target);
        var body = await created.ReadJsonAsync("application/json");
        var code = body.GetProperty("code").GetString()!;
        var shortUrl = body.GetProperty("shortUrl").GetString()!;
        var followed = await _service.Client.GetAsync(new Uri(shortUrl));

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Matches("^[0-9A-Za-z]{7}$", code);
        Assert.Equal(new Uri(_service.BaseAddress, code), new Uri(shortUrl));
        Assert.Equal(new Uri(shortUrl), created.Headers.Location);
        Assert.Equal(HttpStatusCode.Found, followed.StatusCode);
        Assert.Equal(new Uri(target), followed.Headers.Location);
    }

    [Fact]
    public async Task An_internationalized_host_is_redirected_to_in_ascii()
    {
        var created = await _service.Client.CreateLinkAsync("https://bücher.example/straße");
        var code = (await created.ReadJsonAsync("application/json")).GetProperty("code").GetString();

        var followed = await _service.Client.GetAsync(code);

        Assert.Equal(HttpStatusCode.Found, followed.StatusCode);
        Assert.Equal("https://xn--bcher-kva.example/stra%C3%9Fe", followed.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("example.com/no-scheme")]
    [InlineData("/etc/passwd")]
    [InlineData("ftp://example.com/file")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_url_that_is_not_absolute_http_or_https_is_refused_with_a_problem_naming_the_field(string? url)
    {
        var response = await _service.Client.CreateLinkAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync("application/problem+json");
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("url", problem.GetProperty("title").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out var messages));
        Assert.Contains("url", messages[0].GetString());
    }

    [Fact]
    public async Task A_request_without_a_body_is_refused_as_a_missing_url()
    {
        var response = await _service.Client.PostAsync("links", content: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync("application/problem+json");
        Assert.Contains("required", problem.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Fact]
    public async Task Malformed_json_is_refused_with_a_problem_naming_the_body()
    {
        var response = await _service.Client.PostAsync("links", new StringContent("{\"url\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync("application/problem+json");
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_as_an_unsupported_media_type()
    {
        var response = await _service.Client.PostAsync("links", new StringContent("url=https://example.com", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.ReadJsonAsync("application/problem+json");
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_code_is_not_found_with_a_problem_body()
    {
        var response = await _service.Client.GetAsync("zzzzzzz");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.ReadJsonAsync("application/problem+json");
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("zzzzzzz", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_path_is_not_found_with_a_problem_body()
    {
        var response = await _service.Client.GetAsync("some/deeper/path");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await response.ReadJsonAsync("application/problem+json");
    }

    [Fact]
    public async Task Links_created_concurrently_get_distinct_codes_that_each_redirect_to_their_own_url()
    {
        // Arrange
        var targets = Enumerable.Range(0, 100).Select(i => $"https://example.com/item/{i}").ToArray();

        // Act
        var codes = await Task.WhenAll(targets.Select(async target =>
        {
            var response = await _service.Client.CreateLinkAsync(target);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.ReadJsonAsync("application/json")).GetProperty("code").GetString()!;
        }));
        var locations = await Task.WhenAll(codes.Select(async code => (await _service.Client.GetAsync(code)).Headers.Location));

        // Assert
        Assert.Equal(targets.Length, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(targets.Select(t => new Uri(t)), locations);
        Assert.Equal(targets.Length, _service.Services.GetRequiredService<ILinkStore>().Count);
    }
}
