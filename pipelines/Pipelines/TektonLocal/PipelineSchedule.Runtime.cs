namespace Pipelines.TektonLocal;

/// <summary>
/// How a run's timeouts, cancellation and ignored failures reach its tasks: a task not yet started when a timeout
/// passed is skipped with Tekton's reason; a running TaskRun is cancelled with Tekton's message; a pipeline task with
/// <c>onError: continue</c> that fails ends <c>FailureIgnored</c> and does not stop the run.
/// </summary>
internal sealed partial class PipelineSchedule
{
    /// <summary>The TaskRun reason of a failure a pipeline task's <c>onError: continue</c> ignores.</summary>
    internal const string IgnoredFailure = "FailureIgnored";

    private static bool ContinuesOnError(object? task) => Yaml.String(task, "onError") == "continue";

    /// <summary>Tekton's skip reason for a task that a timeout kept from starting, or null.</summary>
    private string? TimeoutSkip(bool isFinally) =>
        _timedOut ? "PipelineRun timeout has been reached"
        : !isFinally && _tasksTimedOut ? "PipelineRun Tasks timeout has been reached"
        : isFinally && _finallyTimedOut ? "PipelineRun Finally timeout has been reached"
        : null;

    /// <summary>Why a running TaskRun was cancelled (the condition message Tekton gives it), or null when it was not.</summary>
    private string? CancelMessage(bool isFinally) =>
        _cancelled ? "TaskRun cancelled as the PipelineRun it belongs to has been cancelled."
        : _timedOut || (isFinally ? _finallyTimedOut : _tasksTimedOut) ? "TaskRun cancelled as the PipelineRun it belongs to has timed out."
        : null;

    /// <summary>
    /// What Tekton's webhook rejects in pipeline tasks before the run exists (pipeline_validation.go, matrix_types.go), so
    /// nothing starts: <c>onError: continue</c> with retries, a matrix param also given in params, too many combinations.
    /// </summary>
    private void ValidateTasks()
    {
        foreach (var task in Yaml.List(spec, "tasks").Concat(Yaml.List(spec, "finally")))
        {
            var name = Yaml.String(task, "name");
            if (ContinuesOnError(task) && int.TryParse(Yaml.String(task, "retries"), out var retries) && retries > 0)
                throw new PipelineException($"Pipeline task {name}: PipelineTask OnError cannot be set to \"continue\" when Retries is greater than 0 (pipelines.md \"Using the onError field\"); drop one of them.");
            if (!Yaml.Has(task, "matrix")) continue;
            var matrix = Yaml.Map(task, "matrix");
            var given = Yaml.List(task, "params").Select(p => Yaml.String(p, "name")).ToHashSet();
            var both = Yaml.List(matrix, "params").Select(p => Yaml.String(p, "name")).Where(given.Contains).ToList();
            if (both.Count > 0)
                throw new PipelineException($"Pipeline task {name}: param(s) {string.Join(", ", both)} are given both in params and in matrix (matrix.md: a param goes in one of them); keep one.");
            if (StaticCombinationCount(matrix) is > MaxMatrixCombinations and var count)
                throw new PipelineException($"Pipeline task {name}: its matrix makes {count} combinations, above Tekton's default-max-matrix-combinations-count {MaxMatrixCombinations}; split the task.");
        }
    }
}
