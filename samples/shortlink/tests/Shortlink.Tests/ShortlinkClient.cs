using System.Net.Http.Json;
using System.Text.Json;

namespace Shortlink.Tests;

/// <summary>Request helpers shared by the HTTP tests.</summary>
public static class ShortlinkClient
{
    /// <summary>POSTs <c>{"url": url}</c> to /links.</summary>
    public static Task<HttpResponseMessage> CreateLinkAsync(this HttpClient client, string? url) =>
        client.PostAsJsonAsync("links", new { url });

    /// <summary>Reads a JSON body, checking its media type first.</summary>
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, string mediaType)
    {
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
