using Pipelines.Logging;

namespace Pipelines.TektonLocal;

/// <summary>
/// Tekton's PipelineRun state machine for one run: DAG tasks start as soon as their parents (runAfter and result
/// producers) are done, in parallel; a failure stops new DAG tasks (running ones finish) and the rest are skipped;
/// then every finally task runs with <c>$(tasks.status)</c> and <c>$(tasks.&lt;t&gt;.status)</c>.
/// </summary>
internal sealed class PipelineSchedule(
    PodSettings settings, IReadOnlyDictionary<string, object?> spec, IReadOnlyDictionary<string, object?> taskSpecs,
    IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> context,
    IReadOnlyDictionary<string, string> workspaceVolumes, TimeSpan timeout, ILog log)
{
    private const string WhenFalse = "When Expressions evaluated to false";
    private readonly Dictionary<string, TaskRunOutcome> _done = new();
    private bool _timedOut;

    public async Task<LocalPipelineRunResult> RunAsync(CancellationToken cancellationToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(timeout);
        run.Token.Register(() => _timedOut = !cancellationToken.IsCancellationRequested);

        await RunGroupAsync(Yaml.List(spec, "tasks"), isFinally: false, run.Token, cancellationToken);
        await RunGroupAsync(Yaml.List(spec, "finally"), isFinally: true, run.Token, cancellationToken);

        var all = Yaml.List(spec, "tasks").Concat(Yaml.List(spec, "finally")).Select(t => _done[Yaml.String(t, "name")!]).ToList();
        var failed = all.Count(t => t.Status == "Failed");
        var skipped = all.Count(t => t.Skipped);
        var cancelled = all.Count(t => t.Reason == "TaskRunCancelled");
        var message = $"Tasks Completed: {all.Count - skipped} (Failed: {failed}, Cancelled {cancelled}), Skipped: {skipped}";
        var (status, reason) = _timedOut ? ("False", "PipelineRunTimeout")
            : failed > 0 ? ("False", "Failed")
            : skipped > 0 ? ("True", "Completed") : ("True", "Succeeded");
        if (_timedOut) message = $"PipelineRun \"{context["context.pipelineRun.name"]}\" failed to finish within \"{Quantities.Format(timeout)}\"";
        return new LocalPipelineRunResult("", status, reason, message, all, PipelineResults(), TimeSpan.Zero);
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
                if (_timedOut) { Finish(TaskRunOutcome.Skip(name, "PipelineRun timeout has been reached", isFinally)); pending.Remove(name); continue; }
                if (stopping) continue;
                var parents = Parents(task, isFinally);
                if (!parents.All(_done.ContainsKey)) continue;
                pending.Remove(name);
                if (SkipReason(task, parents, isFinally) is { } skip) { Finish(TaskRunOutcome.Skip(name, skip, isFinally)); continue; }
                running[Task.Run(() => RunTaskAsync(name, task, isFinally, token), CancellationToken.None)] = name;
            }
            if (running.Count == 0)
            {
                foreach (var name in pending.Keys) Finish(TaskRunOutcome.Skip(name, stopping ? "PipelineRun was stopping" : "Parent Tasks were skipped", isFinally));
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
            Finish(outcome);
            if (outcome.Status == "Failed" && !isFinally) stopping = true;
        }
    }

    private void Finish(TaskRunOutcome outcome)
    {
        _done[outcome.PipelineTask] = outcome;
        var detail = outcome.Skipped ? $"skipped: {outcome.Reason}" : $"{outcome.Status} ({outcome.Reason}) in {Quantities.Format(outcome.Duration)}{(outcome.Status == "Failed" ? ": " + outcome.Message : "")}";
        log.Info($"[{outcome.PipelineTask}] {detail}");
    }

    private async Task<TaskRunOutcome> RunTaskAsync(string name, object? pipelineTask, bool isFinally, CancellationToken token)
    {
        var taskRunName = $"{context["context.pipelineRun.name"]}-{name}";
        var values = PipelineValues(isFinally);
        var taskSpec = taskSpecs[name];
        var taskValues = new Dictionary<string, string>(context)
        {
            ["context.taskRun.name"] = taskRunName, ["context.taskRun.namespace"] = settings.Namespace,
            ["context.taskRun.uid"] = Guid.NewGuid().ToString(), ["context.task.retry-count"] = "0",
            ["context.task.name"] = Yaml.String(Yaml.Map(pipelineTask, "taskRef"), "name") ?? name,
        };
        var given = Yaml.List(pipelineTask, "params").ToDictionary(p => Yaml.String(p, "name")!, p => TektonVariables.Apply(Yaml.String(p, "value") ?? "", values));
        foreach (var param in Yaml.List(taskSpec, "params"))
        {
            var paramName = Yaml.String(param, "name")!;
            var value = given.TryGetValue(paramName, out var v) ? v : Yaml.String(param, "default");
            if (value is null)
                return new TaskRunOutcome(name, taskRunName, "Failed", "TaskRunValidationFailed", $"missing values for these params which have no default values: [{paramName}]", TimeSpan.Zero, new Dictionary<string, string>(), isFinally);
            taskValues[$"params.{paramName}"] = value;
        }
        foreach (var result in Yaml.List(taskSpec, "results")) taskValues[$"results.{Yaml.String(result, "name")}.path"] = $"/tekton/results/{Yaml.String(result, "name")}";

        var bindings = Yaml.List(pipelineTask, "workspaces").ToDictionary(w => Yaml.String(w, "name")!, w => w);
        var mounts = new Dictionary<string, WorkspaceMount>();
        foreach (var declared in Yaml.List(taskSpec, "workspaces"))
        {
            var workspace = Yaml.String(declared, "name")!;
            var path = Yaml.String(declared, "mountPath") ?? $"/workspace/{workspace}";
            var bound = bindings.TryGetValue(workspace, out var binding) && workspaceVolumes.ContainsKey(Yaml.String(binding, "workspace") ?? "");
            if (bound && !string.IsNullOrEmpty(Yaml.String(binding, "subPath")))
                throw new PipelineException($"Pipeline task {name} binds workspace {workspace} with a subPath, which the local runner does not support (the engine's API has no volume subpath): bind the whole workspace.");
            if (!bound && Yaml.String(declared, "optional") is not ("true" or "True"))
                return new TaskRunOutcome(name, taskRunName, "Failed", "TaskRunValidationFailed", $"workspace {workspace} is required but not bound", TimeSpan.Zero, new Dictionary<string, string>(), isFinally);
            taskValues[$"workspaces.{workspace}.path"] = bound ? path : "";
            taskValues[$"workspaces.{workspace}.bound"] = bound ? "true" : "false";
            taskValues[$"workspaces.{workspace}.claim"] = "";
            taskValues[$"workspaces.{workspace}.volume"] = bound ? workspaceVolumes[Yaml.String(binding, "workspace")!] : "";
            if (bound) mounts[workspace] = new WorkspaceMount(workspaceVolumes[Yaml.String(binding, "workspace")!], path, Yaml.String(declared, "readOnly") is "true" or "True");
        }

        // An embedded taskSpec also sees the Pipeline's params and context (propagation); the Task's own names win.
        if (Yaml.Has(pipelineTask, "taskSpec"))
            foreach (var (key, value) in values) taskValues.TryAdd(key, value);
        var spec = Substitute(Yaml.Map(taskSpec), taskValues);
        var request = new TaskRunRequest(name, taskRunName, Yaml.String(Yaml.Map(pipelineTask, "taskRef"), "name") ?? name, spec, mounts,
            Quantities.Duration(Yaml.String(pipelineTask, "timeout")), isFinally)
        { Cancelled = () => _timedOut ? $"TaskRun \"{taskRunName}\" was cancelled: PipelineRun \"{context["context.pipelineRun.name"]}\" has timed out." : null };
        log.Info($"[{name}] TaskRun {taskRunName} started.");
        return await new TaskPod(settings).RunAsync(request, token);
    }

    /// <summary>runAfter and the tasks whose results it reads (params, when); finally tasks wait for every DAG task instead.</summary>
    private IReadOnlyList<string> Parents(object? task, bool isFinally)
    {
        if (isFinally) return [];
        return Yaml.Strings(task, "runAfter").Concat(References(task).Select(r => r.Task)).Distinct().ToList();
    }

    private static IEnumerable<(string Task, string Result)> References(object? task) =>
        Yaml.List(task, "params").Select(p => Yaml.String(p, "value") ?? "")
            .Concat(Yaml.List(task, "when").SelectMany(w => Yaml.Strings(w, "values").Append(Yaml.String(w, "input") ?? "")))
            .SelectMany(TektonVariables.ResultReferences);

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
            var options = Yaml.Strings(when, "values").Select(v => TektonVariables.Apply(v, values)).ToList();
            var matches = options.Contains(input);
            if ((Yaml.String(when, "operator") ?? "in") == "in" ? !matches : matches) return WhenFalse;
        }
        return null;
    }

    private Dictionary<string, string> PipelineValues(bool isFinally)
    {
        var values = new Dictionary<string, string>(context);
        foreach (var (key, value) in parameters) values[$"params.{key}"] = value;
        foreach (var (task, outcome) in _done)
        {
            foreach (var (result, value) in outcome.Results) values[$"tasks.{task}.results.{result}"] = value;
            if (!isFinally) continue;
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

    private Dictionary<string, string> PipelineResults()
    {
        var values = PipelineValues(isFinally: false);
        return Yaml.List(spec, "results")
            .Select(r => (Name: Yaml.String(r, "name")!, Value: TektonVariables.Apply(Yaml.String(r, "value") ?? "", values)))
            .Where(r => !r.Value.Contains("$(tasks.", StringComparison.Ordinal)).ToDictionary(r => r.Name, r => r.Value);
    }

    /// <summary>Tekton's substitution over a whole spec: every string in the tree.</summary>
    internal static object? Substitute(object? node, IReadOnlyDictionary<string, string> values) => node switch
    {
        string text => TektonVariables.Apply(text, values),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Substitute(p.Value, values)),
        IDictionary<object, object?> map => Yaml.Map(map).ToDictionary(p => p.Key, p => Substitute(p.Value, values)),
        IList<object?> list => list.Select(i => Substitute(i, values)).ToList(),
        _ => node,
    };
}
