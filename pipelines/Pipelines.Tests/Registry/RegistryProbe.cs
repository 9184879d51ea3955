using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Pipelines.Tests.Registry;

/// <summary>Asks a registry directly what it holds (OCI distribution spec), to check what the daemon pushed.</summary>
public static class RegistryProbe
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    /// <summary>The <c>Docker-Content-Digest</c> of <c>HEAD /v2/&lt;repo&gt;/manifests/&lt;tag&gt;</c>, or null on 404.</summary>
    public static async Task<string?> ManifestDigestAsync(string registry, string repository, string tag, string? username = null, string? password = null)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry}/v2/{repository}/manifests/{tag}");
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        if (username is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }
}
