namespace Pipelines.TektonLocal;

/// <summary>How one pipeline task ended: run (Succeeded/Failed) or skipped, with its results.</summary>
/// <param name="PipelineTask">The name in the Pipeline.</param>
/// <param name="TaskRunName">The TaskRun's name; empty when it was skipped.</param>
/// <param name="Status">Succeeded, Failed or None (skipped, as <c>$(tasks.t.status)</c> says).</param>
/// <param name="Reason">Succeeded, StepFailed, TaskRunTimeout, … or the skip reason.</param>
/// <param name="Message">What failed, or why it was skipped.</param>
internal sealed record TaskRunOutcome(
    string PipelineTask, string TaskRunName, string Status, string Reason, string Message,
    TimeSpan Duration, IReadOnlyDictionary<string, string> Results, bool IsFinally)
{
    /// <summary>The retries the pipeline task allowed (attempts beyond the first, if it kept failing).</summary>
    public int Retries { get; init; }

    /// <summary>A matrixed task's TaskRuns (<c>&lt;pr&gt;-&lt;task&gt;-&lt;index&gt;</c>), whose outcomes this one aggregates; empty otherwise.</summary>
    public IReadOnlyList<TaskRunOutcome> Fanned { get; init; } = [];

    /// <summary>The pipeline task's displayName, its variables substituted, or null.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Whether the task never ran.</summary>
    public bool Skipped => Status == "None";

    /// <summary>A task that was not run, with Tekton's skip reason.</summary>
    public static TaskRunOutcome Skip(string task, string reason, bool isFinally) =>
        new(task, "", "None", reason, reason, TimeSpan.Zero, new Dictionary<string, string>(), isFinally);
}
