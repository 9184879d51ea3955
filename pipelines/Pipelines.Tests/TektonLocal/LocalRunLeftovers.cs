using Pipelines.Processes;

namespace Pipelines.Tests.TektonLocal;

/// <summary>What a local PipelineRun left on the engine: containers, volumes and networks with the runner's label.</summary>
public static class LocalRunLeftovers
{
    /// <summary>Names of containers, volumes and networks labelled by a local run whose name starts with the prefix.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(string runPrefix)
    {
        var found = new List<string>();
        foreach (var kind in new[] { "container", "volume", "network" })
        {
            var arguments = kind == "container"
                ? new[] { "ps", "-a", "--filter", "label=local.pipelines.tekton-run", "--format", "{{.Label \"local.pipelines.tekton-run\"}} {{.Names}}" }
                : new[] { kind, "ls", "--filter", "label=local.pipelines.tekton-run", "--format", "{{.Label \"local.pipelines.tekton-run\"}} {{.Name}}" };
            var result = await new Command("docker").WithArguments(arguments).WithOutput(OutputMode.Quiet).ExecuteAsync();
            found.AddRange(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(runPrefix, StringComparison.Ordinal)));
        }
        return found;
    }
}
