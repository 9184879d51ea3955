using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// Renders each template folder once per test class (an xunit class fixture), since several tests look at the
/// same output. Callers must not modify the returned objects; <see cref="RenderCopyAsync"/> gives a private copy.
/// </summary>
public sealed class RenderedManifests
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<JsonObject>>>> _renders = new();

    /// <summary>The objects <c>manifests/&lt;folder&gt;</c> renders to.</summary>
    public Task<IReadOnlyList<JsonObject>> Of(string folder) =>
        _renders.GetOrAdd(folder, f => new Lazy<Task<IReadOnlyList<JsonObject>>>(() => Kustomize.RenderAsync(ManifestFolders.PathOf(f)))).Value;

    /// <summary>The single object of a kind (and name, when given) in a folder's output; fails the test otherwise.</summary>
    public async Task<JsonObject> SingleAsync(string folder, string kind, string? name = null)
    {
        var matches = (await Of(folder)).Where(o => (string?)o["kind"] == kind && (name is null || (string?)o["metadata"]?["name"] == name)).ToList();
        Assert.True(matches.Count == 1, $"{folder} should render exactly one {kind}{(name is null ? "" : " " + name)}, rendered {matches.Count}");
        return matches[0];
    }
}
