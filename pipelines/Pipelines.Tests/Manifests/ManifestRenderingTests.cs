namespace Pipelines.Tests.Manifests;

/// <summary>Every folder of the template renders, and every object it renders satisfies its schema.</summary>
public sealed class ManifestRenderingTests(RenderedManifests rendered) : IClassFixture<RenderedManifests>
{
    private static readonly ManifestSchemas Schemas = ManifestSchemas.Shared();

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.All), MemberType = typeof(ManifestFolders))]
    public async Task The_folder_renders_with_kubectl_kustomize(string folder)
    {
        var objects = await rendered.Of(folder);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.False(string.IsNullOrEmpty((string?)o["metadata"]?["name"]), $"{Kustomize.Describe(o)} has no name"));
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.All), MemberType = typeof(ManifestFolders))]
    public async Task Every_rendered_object_validates_against_its_strict_schema(string folder)
    {
        var objects = await rendered.Of(folder);

        var problems = Schemas.Problems(objects);

        Assert.True(problems.Count == 0, $"{folder}:\n  " + string.Join("\n  ", problems));
    }
}
