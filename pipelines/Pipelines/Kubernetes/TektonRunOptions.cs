using System.Text.Json.Nodes;

namespace Pipelines.Kubernetes;

/// <param name="Namespace">Where the Pipeline is installed and the PipelineRun is created.</param>
/// <param name="PipelineRun">
/// The PipelineRun to create, as the generator writes the TriggerTemplate's (CiGenerator.PipelineRun): service account,
/// fsGroup, claims and timeouts come from there, never from a second copy here.
/// </param>
internal sealed record TektonRunOptions(string Namespace, JsonObject PipelineRun)
{
    /// <summary>The name of the Pipeline the run references.</summary>
    public string Pipeline => PipelineRun["spec"]?["pipelineRef"]?["name"]?.GetValue<string>()
        ?? throw new PipelineException("The PipelineRun to create has no spec.pipelineRef.name.");
    /// <summary>How long the runner follows the PipelineRun before it cancels it (the run's own timeouts.pipeline, plus a margin to read its outcome).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);
    /// <summary>How often the PipelineRun's status is read.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Stream each step's log as it finishes, so failures can be read here.</summary>
    public bool StepLogs { get; init; } = true;
}
