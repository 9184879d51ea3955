namespace Pipelines.Generators;

/// <summary>
/// A container's <c>computeResources</c>: CPU and memory requests, and a memory limit. No CPU limit: a
/// limit throttles a build that could use an idle core, while the request already reserves its share.
/// </summary>
public sealed record TektonResources(string CpuRequest, string MemoryRequest, string MemoryLimit)
{
    /// <summary>The <c>computeResources</c> mapping.</summary>
    internal YamlMap ToYaml() => new()
    {
        ["requests"] = new YamlMap { ["cpu"] = CpuRequest, ["memory"] = MemoryRequest },
        ["limits"] = new YamlMap { ["memory"] = MemoryLimit },
    };
}
