namespace Pipelines.TektonLocal;

/// <summary>The end-of-run summary in the shape of <c>tkn pipelinerun describe</c>: status, message, results, TaskRuns, skipped tasks.</summary>
internal static class StatusTable
{
    /// <summary>The lines to print, as tkn prints them (STATUS is Succeeded/Failed, with (reason) when the reason differs).</summary>
    public static IReadOnlyList<string> Format(LocalPipelineRunResult run, string @namespace, string pipeline)
    {
        var lines = new List<string>
        {
            $"Name:           {run.Name}", $"Namespace:      {@namespace}", $"Pipeline Ref:   {pipeline}", "",
            "Status", "", "DURATION   STATUS", $"{Quantities.Format(run.Duration),-10} {Status(run.Status, run.Reason)}", "",
        };
        if (!run.Succeeded)
        {
            lines.AddRange(["Message", "", run.Message]);
            var failed = TaskRuns(run).Where(t => t.Status == "Failed" && t.Reason != PipelineSchedule.IgnoredFailure).Select(t => $"{t.TaskRunName} ({t.Message})").ToList();
            if (failed.Count > 0) lines.Add($"TaskRun(s) failed: {string.Join(", ", failed)}");
            lines.Add("");
        }
        lines.AddRange(["Results", ""]);
        lines.AddRange(run.Results.Count == 0 ? [" No results"] : Table(["NAME", "VALUE"], run.Results.Select(r => new[] { r.Key, Short(r.Value) })));
        lines.AddRange(["", "Taskruns", ""]);
        var taskRuns = TaskRuns(run).Where(t => !t.Skipped).ToList();
        var rows = taskRuns.Select(t => new[]
        {
            t.TaskRunName, t.PipelineTask, Quantities.Format(t.Duration), Status(t.Status == "Succeeded" ? "True" : "False", t.Reason),
            string.Join(" ", t.Results.Select(r => $"{r.Key}={Short(r.Value, 40)}")),
        });
        // A pipeline task's displayName (pipelines.md, childReferences) beside its name, when the Pipeline gives any.
        lines.AddRange(taskRuns.Any(t => t.DisplayName is not null)
            ? Table(["NAME", "TASK NAME", "DISPLAY NAME", "DURATION", "STATUS", "RESULTS"], taskRuns.Zip(rows, (t, r) => (string[])[r[0], r[1], Short(t.DisplayName ?? "", 60), .. r[2..]]))
            : Table(["NAME", "TASK NAME", "DURATION", "STATUS", "RESULTS"], rows));
        var skipped = run.Tasks.Where(t => t.Skipped).ToList();
        if (skipped.Count > 0)
        {
            lines.AddRange(["", "Skipped Tasks", ""]);
            lines.AddRange(Table(["NAME", "REASON"], skipped.Select(t => new[] { t.PipelineTask, t.Reason })));
        }
        return lines;
    }

    /// <summary>One row per TaskRun: a matrixed task's fanned-out TaskRuns each, with the pipeline task's own outcome (onError) applied.</summary>
    private static IEnumerable<TaskRunOutcome> TaskRuns(LocalPipelineRunResult run) =>
        run.Tasks.SelectMany(t => t.Fanned.Count == 0 ? [t]
            : t.Fanned.Select(f => t.Reason == PipelineSchedule.IgnoredFailure && f.Status == "Failed" ? f with { Reason = t.Reason } : f));

    /// <summary>How a run ended in one phrase: Succeeded, or the reason and message of a run that did not.</summary>
    public static string Verdict(LocalPipelineRunResult run) =>
        run.Succeeded ? Status(run.Status, run.Reason) : $"{Status(run.Status, run.Reason)}: {Short(run.Message, 160)}";

    private static string Status(string condition, string reason)
    {
        var status = condition == "True" ? "Succeeded" : "Failed";
        // tkn shows a cancel as Cancelled, not as a failure (a plain Cancelled without the reason repeated).
        if (condition == "False" && reason is "Cancelled" or "TaskRunCancelled" or "PipelineRunCancelled") return reason == "Cancelled" ? reason : $"Cancelled({reason})";
        return reason == status || (condition == "True" && reason == "Completed") ? status : $"{status}({reason})";
    }

    private static IEnumerable<string> Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = new[] { header }.Concat(rows).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        return all.Select(r => " " + string.Join("   ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
    }

    private static string Short(string value, int max = 80)
    {
        var line = value.ReplaceLineEndings(" ");
        return line.Length > max ? line[..max] + "…" : line;
    }
}
