namespace Pipelines.TektonLocal;

/// <summary>How a local PipelineRun ended, in Tekton's words.</summary>
/// <param name="Name">The PipelineRun's name.</param>
/// <param name="Status">The Succeeded condition: True or False.</param>
/// <param name="Reason">Succeeded, Completed, Failed, PipelineRunTimeout, …</param>
/// <param name="Message">The condition message (Tasks Completed: …).</param>
internal sealed record LocalPipelineRunResult(
    string Name, string Status, string Reason, string Message,
    IReadOnlyList<TaskRunOutcome> Tasks, IReadOnlyDictionary<string, string> Results, TimeSpan Duration)
{
    /// <summary>True only when the run would be Succeeded (or Completed) in a cluster.</summary>
    public bool Succeeded => Status == "True";

    /// <summary>The outcome of one pipeline task by name.</summary>
    public TaskRunOutcome Task(string pipelineTask) => Tasks.First(t => t.PipelineTask == pipelineTask);
}
