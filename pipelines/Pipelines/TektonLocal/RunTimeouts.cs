namespace Pipelines.TektonLocal;

/// <summary>
/// A PipelineRun's <c>timeouts</c> as pipelineruns.md "Configuring a failure timeout" defines them: <c>pipeline</c>
/// for the whole run (default 60 minutes), <c>tasks</c> for the DAG tasks (counted from the run's start), <c>finally</c>
/// for the finally tasks (counted from their start); a zero is "no timeout". An unset <c>tasks</c> (or <c>finally</c>)
/// is computed as <c>pipeline</c> minus the other when both of those are set, as Tekton's <c>TasksTimeout()</c> does.
/// </summary>
/// <param name="Pipeline">The whole run; <see cref="TimeSpan.Zero"/>: none.</param>
/// <param name="Tasks">The DAG tasks; null or zero: none apart from the run's.</param>
/// <param name="Finally">The finally tasks; null or zero: none apart from the run's.</param>
internal sealed record RunTimeouts(TimeSpan Pipeline, TimeSpan? Tasks, TimeSpan? Finally)
{
    /// <summary>Tekton's <c>default-timeout-minutes</c>.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(1);

    /// <summary>No limit at all (a TaskRun file: its own <c>timeout</c> is the only one).</summary>
    public static readonly RunTimeouts None = new(TimeSpan.Zero, null, null);

    /// <summary>
    /// The <c>timeouts</c> map of a PipelineRun, validated as Tekton's admission webhook does (a run that breaks a rule is
    /// rejected before it exists, so nothing starts): tasks ≤ pipeline, finally ≤ pipeline, tasks + finally ≤ pipeline,
    /// and a zero tasks or finally only with a zero pipeline.
    /// </summary>
    public static RunTimeouts Of(object? timeouts, string where)
    {
        var pipeline = Quantities.Duration(Yaml.String(timeouts, "pipeline"));
        var tasks = Quantities.Duration(Yaml.String(timeouts, "tasks"));
        var @finally = Quantities.Duration(Yaml.String(timeouts, "finally"));
        var limit = pipeline ?? Default;
        string Fix(string rule) => $"{where}: spec.timeouts {rule} (pipelineruns.md \"Configuring a failure timeout\"); fix the timeouts.";
        if (limit != TimeSpan.Zero)
        {
            if (tasks == TimeSpan.Zero || @finally == TimeSpan.Zero)
                throw new PipelineException(Fix($"sets {(tasks == TimeSpan.Zero ? "tasks" : "finally")} to 0 (no timeout) while pipeline is {Quantities.Format(limit)}: a 0 there needs pipeline: \"0\" too"));
            if (tasks > limit) throw new PipelineException(Fix($"tasks {Quantities.Format(tasks.Value)} should be <= pipeline duration {Quantities.Format(limit)}"));
            if (@finally > limit) throw new PipelineException(Fix($"finally {Quantities.Format(@finally.Value)} should be <= pipeline duration {Quantities.Format(limit)}"));
            if (tasks + @finally > limit)
                throw new PipelineException(Fix($"tasks {Quantities.Format(tasks!.Value)} + finally {Quantities.Format(@finally!.Value)} should be <= pipeline duration {Quantities.Format(limit)}"));
        }
        if (pipeline is { } whole && whole != TimeSpan.Zero)
        {
            if (tasks is null && @finally is { } f && f != TimeSpan.Zero) tasks = whole - f;
            if (@finally is null && tasks is { } t && t != TimeSpan.Zero && Yaml.String(timeouts, "tasks") is not null) @finally = whole - t;
        }
        return new RunTimeouts(limit, tasks, @finally);
    }

    /// <summary>The same limits with the whole run's replaced (the command line's --timeout).</summary>
    public RunTimeouts WithPipeline(TimeSpan? pipeline) => pipeline is { } value ? this with { Pipeline = value } : this;

    /// <summary>A limit as a cancellation delay: a zero (or none) is never.</summary>
    public static TimeSpan Delay(TimeSpan? limit) => limit is { } value && value > TimeSpan.Zero ? value : Timeout.InfiniteTimeSpan;
}
