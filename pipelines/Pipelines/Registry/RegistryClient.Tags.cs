using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipelines.Oci;

namespace Pipelines.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>
    /// Every tag of <paramref name="repository"/>, following <c>Link: &lt;…&gt;; rel="next"</c> pages.
    /// A repository the registry does not know has no tags (empty list).
    /// </summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, int pageSize = 1000, CancellationToken cancellationToken = default)
    {
        var tags = new List<string>();
        string? next = $"{repository.Repository}/tags/list?n={pageSize}";
        var what = $"list the tags of {repository.RepositoryUrl}";
        while (next is not null)
        {
            using var response = await SendAsync(new RegistryRequest(HttpMethod.Get, repository, next, what), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound) return tags;
            await EnsureSuccessAsync(response, what);
            using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            if (body.RootElement.TryGetProperty("tags", out var page) && page.ValueKind == JsonValueKind.Array)
                tags.AddRange(page.EnumerateArray().Select(t => t.GetString()!).Where(t => t is not null));
            next = NextLink(response);
        }
        return tags;
    }

    /// <summary>True when <paramref name="image"/>'s tag exists (a manifest <c>HEAD</c>, cheaper than listing).</summary>
    public async Task<bool> TagExistsAsync(ImageReference image, CancellationToken cancellationToken = default)
    {
        if (image.Tag is null) throw new PipelineException($"Image reference {image} has no tag to look up.");
        return await HeadManifestAsync(image.WithoutTagOrDigest().WithTag(image.Tag), cancellationToken) is not null;
    }

    /// <summary>The URL of a <c>Link</c> header's <c>rel="next"</c>, relative to the registry, or null.</summary>
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            var match = LinkPattern().Match(link);
            if (match.Success) return new Uri(response.RequestMessage!.RequestUri!, match.Groups["url"].Value).ToString();
        }
        return null;
    }

    [GeneratedRegex("<(?<url>[^>]+)>\\s*;\\s*rel=\"?next\"?", RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();
}
