namespace Pipelines.Tests.Templates;

/// <summary>The test classes that share one pack of the toolkit and template (packing compiles the toolkit once).</summary>
[CollectionDefinition(Name)]
public sealed class PackedTemplateCollection : ICollectionFixture<PackedTemplate>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "packed template";
}
