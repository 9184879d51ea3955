using Pipelines.Logging;

namespace Pipelines.TektonLocal;

/// <summary>
/// Tekton's PipelineRun state machine for one run: DAG tasks start as soon as their parents (runAfter and result
/// producers) are done, in parallel; a failure stops new DAG tasks (running ones finish) and the rest are skipped;
/// a consumed result its (successful) producer never wrote stops the run as <c>InvalidTaskResultReference</c>; then
/// every finally task runs with <c>$(tasks.status)</c> and <c>$(tasks.&lt;t&gt;.status)</c>; Pipeline results last.
/// </summary>
internal sealed partial class PipelineSchedule(
    PodSettings settings, IReadOnlyDictionary<string, object?> spec, IReadOnlyDictionary<string, object?> taskSpecs,
    IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, string> context,
    IReadOnlyDictionary<string, string> workspaceVolumes, RunTimeouts timeouts, ILog log)
{
    private const string WhenFalse = "When Expressions evaluated to false";
    internal const string InvalidReference = "InvalidTaskResultReference";
    // Concurrent: a task that finishes writes here while another task, starting, reads every outcome (PipelineValues).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskRunOutcome> _done = new();
    private bool _timedOut;
    private bool _tasksTimedOut;
    private bool _finallyTimedOut;
    private bool _cancelled;

    /// <summary>True when the run is a TaskRun file: its one task's TaskRun carries the run's own name.</summary>
    public bool SingleTaskRun { get; init; }

    private string RunName => context["context.pipelineRun.name"];

    public async Task<LocalPipelineRunResult> RunAsync(CancellationToken cancellationToken)
    {
        ValidateTasks();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(RunTimeouts.Delay(timeouts.Pipeline));
        run.Token.Register(() => (_timedOut, _cancelled) = (!cancellationToken.IsCancellationRequested, cancellationToken.IsCancellationRequested));
        // timeouts.tasks counts from the run's start, timeouts.finally from the first finally task's (pipelineruns.md).
        using (var tasks = CancellationTokenSource.CreateLinkedTokenSource(run.Token))
        {
            tasks.CancelAfter(RunTimeouts.Delay(timeouts.Tasks));
            tasks.Token.Register(() => _tasksTimedOut = !run.IsCancellationRequested);
            await RunGroupAsync(Yaml.List(spec, "tasks"), isFinally: false, tasks.Token, cancellationToken);
        }
        using (var @finally = CancellationTokenSource.CreateLinkedTokenSource(run.Token))
        {
            @finally.CancelAfter(RunTimeouts.Delay(timeouts.Finally));
            @finally.Token.Register(() => _finallyTimedOut = !run.IsCancellationRequested);
            await RunGroupAsync(Yaml.List(spec, "finally"), isFinally: true, @finally.Token, cancellationToken);
        }

        var all = Yaml.List(spec, "tasks").Concat(Yaml.List(spec, "finally")).Select(t => _done[Yaml.String(t, "name")!]).ToList();
        var invalid = all.Where(t => t.Reason == InvalidReference).ToList();
        var ran = all.Except(invalid).ToList();
        // pipelinerunstate.go GetPipelineConditionStatus: a cancelled TaskRun is counted apart from the failed ones, an
        // ignored failure (onError: continue) with them but does not fail the run; a skip for a timeout fails it.
        var cancelled = ran.Count(t => t.Reason == "TaskRunCancelled");
        var ignored = ran.Count(t => t.Reason == IgnoredFailure);
        var failed = ran.Count(t => t.Status == "Failed") - cancelled - ignored;
        var skipped = ran.Count(t => t.Skipped);
        var skippedForTimeout = ran.Count(t => t.Skipped && t.Reason.Contains("timeout has been reached", StringComparison.Ordinal));
        var message = $"Tasks Completed: {ran.Count - skipped} (Failed: {failed + ignored}{(ignored > 0 ? $" (Ignored: {ignored})" : "")}, Cancelled {cancelled}), Skipped: {skipped}";
        if (invalid.Count > 0) message += $", Failed Validation: {invalid.Count} ({string.Join("; ", invalid.Select(t => t.Message))})";
        var (status, reason) = _cancelled ? ("False", "Cancelled")
            : _timedOut || _tasksTimedOut ? ("False", "PipelineRunTimeout")
            : invalid.Count > 0 ? ("False", InvalidReference)
            : failed > 0 || skippedForTimeout > 0 ? ("False", "Failed")
            : cancelled > 0 ? ("False", "Cancelled")
            : skipped > 0 ? ("True", "Completed") : ("True", "Succeeded");
        if (_cancelled) message = $"PipelineRun \"{RunName}\" was cancelled";
        else if (_timedOut) message = $"PipelineRun \"{RunName}\" failed to finish within \"{Quantities.Format(timeouts.Pipeline)}\"";
        else if (_tasksTimedOut) message = $"PipelineRun \"{RunName}\" failed due to tasks failed to finish within \"{Quantities.Format(timeouts.Tasks!.Value)}\"";
        var (results, missing) = PipelineResults();
        if (missing.Count > 0 && !_cancelled)
        {
            // Tekton computes Pipeline results once the run is done; a result a successful task did not write fails the run.
            (status, reason) = ("False", "CouldntGetPipelineResult");
            message = $"Failed to get PipelineResult from TaskRun Results for PipelineRun {RunName}: invalid pipelineresults [{string.Join(" ", missing)}], the referenced results don't exist";
        }
        if (SingleTaskRun && all.Count == 1 && invalid.Count == 0)
            (status, reason, message) = (all[0].Status == "Succeeded" ? "True" : "False", all[0].Reason, all[0].Message);
        return new LocalPipelineRunResult("", status, reason, message, all, results, TimeSpan.Zero);
    }

    private async Task RunGroupAsync(IReadOnlyList<object?> group, bool isFinally, CancellationToken token, CancellationToken user)
    {
        var pending = group.ToDictionary(t => Yaml.String(t, "name")!, t => t);
        var running = new Dictionary<Task<TaskRunOutcome>, string>();
        var stopping = false;
        while (pending.Count > 0 || running.Count > 0)
        {
            foreach (var (name, task) in pending.ToList())
            {
                if (TimeoutSkip(isFinally) is { } timedOut) { Finish(TaskRunOutcome.Skip(name, timedOut, isFinally)); pending.Remove(name); continue; }
                if (stopping || _cancelled) continue;
                var parents = Parents(task, isFinally);
                if (!parents.All(_done.ContainsKey)) continue;
                pending.Remove(name);
                if (!isFinally && MissingResult(task) is { } missing && !ContinuesOnError(task))
                {
                    // Tekton creates no TaskRun for it and schedules nothing more; finally still runs.
                    Finish(new TaskRunOutcome(name, "", "Failed", InvalidReference, missing, TimeSpan.Zero, new Dictionary<string, string>(), isFinally));
                    stopping = true;
                    continue;
                }
                if (SkipReason(task, parents, isFinally) is { } skip) { Finish(TaskRunOutcome.Skip(name, skip, isFinally)); continue; }
                running[Task.Run(() => Yaml.Has(task, "matrix") ? RunMatrixAsync(name, task, isFinally, token) : RunTaskAsync(name, task, isFinally, token), CancellationToken.None)] = name;
            }
            if (running.Count == 0)
            {
                foreach (var name in pending.Keys) Finish(TaskRunOutcome.Skip(name, stopping || _cancelled ? "PipelineRun was stopping" : "Parent Tasks were skipped", isFinally));
                break;
            }
            var finished = await Task.WhenAny(running.Keys);
            running.Remove(finished);
            if (finished.IsCanceled || finished.IsFaulted)
            {
                // A user's cancel (Ctrl-C) or an engine error: let the others end, then let the caller clean up.
                try { await Task.WhenAll(running.Keys); } catch (Exception) when (user.IsCancellationRequested || finished.IsFaulted) { }
                await finished;
            }
            var outcome = finished.Result;
            // pipelines.md "Using the onError field": the failure is recorded as FailureIgnored and the run goes on.
            if (outcome.Status == "Failed" && outcome.Reason != "TaskRunCancelled" && ContinuesOnError(group.First(t => Yaml.String(t, "name") == outcome.PipelineTask)))
                outcome = outcome with { Reason = IgnoredFailure };
            Finish(outcome);
            if (outcome.Status == "Failed" && outcome.Reason != IgnoredFailure && !isFinally) stopping = true;
        }
    }

    private void Finish(TaskRunOutcome outcome)
    {
        _done[outcome.PipelineTask] = outcome;
        var detail = outcome.Skipped ? $"skipped: {outcome.Reason}" : $"{outcome.Status} ({outcome.Reason}) in {Quantities.Format(outcome.Duration)}{(outcome.Status == "Failed" ? ": " + outcome.Message : "")}";
        log.Info($"[{outcome.PipelineTask}] {detail}");
    }

    /// <summary>runAfter and the tasks whose results it reads (params, when); finally tasks wait for every DAG task instead.</summary>
    private IReadOnlyList<string> Parents(object? task, bool isFinally)
    {
        if (isFinally) return [];
        return Yaml.Strings(task, "runAfter").Concat(References(task).Select(r => r.Task)).Distinct().ToList();
    }

    private static IEnumerable<(string Task, string Result)> References(object? task) =>
        TektonValues.Strings(Yaml.List(task, "params").Concat(MatrixParams(task)).Select(p => Yaml.Map(p).GetValueOrDefault("value")).ToList())
            .Concat(Yaml.List(task, "when").SelectMany(w => Yaml.Strings(w, "values").Append(Yaml.String(w, "input") ?? "")))
            .SelectMany(TektonVariables.ResultReferences);

    /// <summary>Tekton's message when a task consumes a result that its producer, which succeeded, did not write.</summary>
    private string? MissingResult(object? task) =>
        References(task).Where(r => _done.TryGetValue(r.Task, out var producer) && (producer.Status == "Succeeded" || producer.Reason == IgnoredFailure) && !producer.Results.ContainsKey(r.Result))
            .Select(r => $"invalid result reference in pipeline task \"{Yaml.String(task, "name")}\": Could not find result with name {r.Result} for pipeline task {r.Task}")
            .FirstOrDefault();

    private string? SkipReason(object? task, IReadOnlyList<string> parents, bool isFinally)
    {
        foreach (var parent in parents.Where(p => _done[p].Skipped))
        {
            var consumes = References(task).Any(r => r.Task == parent);
            if (_done[parent].Reason != WhenFalse) return consumes ? "Results were missing" : "Parent Tasks were skipped";
            if (consumes) return "Results were missing";
        }
        if (References(task).Any(r => !_done.TryGetValue(r.Task, out var producer) || !producer.Results.ContainsKey(r.Result)))
            return "Results were missing";
        var values = PipelineValues(isFinally);
        foreach (var when in Yaml.List(task, "when"))
        {
            var input = TektonVariables.Apply(Yaml.String(when, "input") ?? "", values);
            var options = Yaml.List(when, "values").SelectMany(v => Substitute(new List<object?> { v }, values) as IList<object?> ?? [])
                .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();
            var matches = options.Contains(input);
            if ((Yaml.String(when, "operator") ?? "in") == "in" ? !matches : matches) return WhenFalse;
        }
        return null;
    }

    private Dictionary<string, string> PipelineValues(bool isFinally)
    {
        var values = new Dictionary<string, string>(context);
        foreach (var (key, value) in parameters) TektonValues.Add(values, $"params.{key}", value);
        // resources/apply.go ApplyWorkspaces: every declared workspace is "false", every one the run binds "true".
        foreach (var declared in Yaml.List(spec, "workspaces")) values[$"workspaces.{Yaml.String(declared, "name")}.bound"] = "false";
        foreach (var bound in workspaceVolumes.Keys) values[$"workspaces.{bound}.bound"] = "true";
        foreach (var (task, outcome) in _done)
        {
            var prefix = outcome.IsFinally ? "finally" : "tasks";
            foreach (var (result, value) in outcome.Results) TektonValues.Add(values, $"{prefix}.{task}.results.{result}", TektonValues.Parse(value, outcome.Fanned.Count > 0 ? "array" : ResultType(task, result)));
            AddMatrixValues(values, task, outcome);
            if (!isFinally || outcome.IsFinally) continue;
            values[$"tasks.{task}.status"] = outcome.Status;
            values[$"tasks.{task}.reason"] = outcome.Reason;
        }
        if (isFinally)
        {
            var dag = Yaml.List(spec, "tasks").Select(t => _done[Yaml.String(t, "name")!]).ToList();
            values["tasks.status"] = dag.Any(t => t.Status == "Failed") ? "Failed" : dag.Any(t => t.Skipped) ? "Completed" : "Succeeded";
        }
        return values;
    }

    private string? ResultType(string task, string result) =>
        Yaml.List(taskSpecs[task], "results").Where(r => Yaml.String(r, "name") == result).Select(r => Yaml.String(r, "type")).FirstOrDefault();

    /// <summary>
    /// The Pipeline results, as Tekton computes them at the end: a reference to a task that failed or was skipped drops
    /// that result; one to a result a successful task did not write is invalid (the names of those are returned).
    /// </summary>
    private (Dictionary<string, string> Results, List<string> Invalid) PipelineResults()
    {
        var values = PipelineValues(isFinally: true);
        var results = new Dictionary<string, string>();
        var invalid = new List<string>();
        foreach (var declared in Yaml.List(spec, "results"))
        {
            var name = Yaml.String(declared, "name")!;
            var value = Yaml.Map(declared).GetValueOrDefault("value");
            var references = TektonValues.Strings(value).SelectMany(TektonVariables.ResultReferences).ToList();
            var unavailable = references.Where(r => !_done.TryGetValue(r.Task, out var t) || !t.Results.ContainsKey(r.Result)).ToList();
            if (unavailable.Any(r => _done.TryGetValue(r.Task, out var t) && t.Status == "Succeeded") || unavailable.Any(r => !_done.ContainsKey(r.Task)))
            {
                invalid.Add(name);
                continue;
            }
            if (unavailable.Count > 0) continue;
            var resolved = Substitute(value, values);
            results[name] = resolved is string text ? text : System.Text.Json.JsonSerializer.Serialize(Plain(resolved));
        }
        return (results, invalid);
    }

    private static object? Plain(object? node) => node switch
    {
        IList<object?> list => list.Select(Plain).ToList(),
        IDictionary<object, object?> or IReadOnlyDictionary<string, object?> => Yaml.Map(node).ToDictionary(p => p.Key, p => Plain(p.Value)),
        _ => Convert.ToString(node, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Tekton's substitution over a whole spec: every string in the tree; a whole array (<c>[*]</c>) spliced into its list.</summary>
    internal static object? Substitute(object? node, IReadOnlyDictionary<string, string> values) => node switch
    {
        string text => TektonValues.Expand(text, values),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Substitute(p.Value, values)),
        IDictionary<object, object?> map => Yaml.Map(map).ToDictionary(p => p.Key, p => Substitute(p.Value, values)),
        IList<object?> list => list.SelectMany(i => i is string && Substitute(i, values) is IList<object?> spliced ? spliced : [Substitute(i, values)]).ToList(),
        _ => node,
    };
}
