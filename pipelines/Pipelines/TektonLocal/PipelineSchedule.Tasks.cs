using Pipelines.Logging;

namespace Pipelines.TektonLocal;

internal sealed partial class PipelineSchedule
{
    /// <summary>The run-level pod template every TaskRun starts from.</summary>
    public PodTemplate Pod { get; init; } = PodTemplate.None;

    /// <summary>The PipelineRun's per-task settings.</summary>
    public TaskRunSpecs TaskRunSpecs { get; init; } = TaskRunSpecs.None;

    /// <summary>One pipeline task as its TaskRun: params and workspaces resolved, then run, again while it fails and has retries left.</summary>
    private async Task<TaskRunOutcome> RunTaskAsync(string name, object? pipelineTask, bool isFinally, CancellationToken token, string? fannedName = null)
    {
        var taskRunName = fannedName ?? (SingleTaskRun ? RunName : $"{RunName}-{name}");
        var retries = int.TryParse(Yaml.String(pipelineTask, "retries"), out var r) ? r : 0;
        var values = PipelineValues(isFinally);
        values["context.pipelineTask.retries"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        TaskRunOutcome? outcome = null;
        for (var attempt = 0; attempt <= retries; attempt++)
        {
            if (attempt > 0) log.Info($"[{name}] retry {attempt} of {retries} (the previous attempt: {outcome!.Reason}).");
            outcome = await RunAttemptAsync(name, taskRunName, pipelineTask, values, attempt, isFinally, token);
            // A cancel (the run timed out) is never retried; a validation failure would fail again.
            if (outcome.Status != "Failed" || outcome.Reason is "TaskRunCancelled" or "TaskRunValidationFailed" || token.IsCancellationRequested) break;
        }
        return outcome! with { Retries = retries };
    }

    private async Task<TaskRunOutcome> RunAttemptAsync(
        string name, string taskRunName, object? pipelineTask, Dictionary<string, string> values, int attempt, bool isFinally, CancellationToken token)
    {
        TaskRunOutcome Invalid(string message) =>
            new(name, taskRunName, "Failed", "TaskRunValidationFailed", message, TimeSpan.Zero, new Dictionary<string, string>(), isFinally);
        var taskSpec = taskSpecs[name];
        var embedded = Yaml.Has(pipelineTask, "taskSpec");
        var taskValues = new Dictionary<string, string>(context)
        {
            ["context.taskRun.name"] = taskRunName, ["context.taskRun.namespace"] = settings.Namespace,
            // A TaskRun file's TaskRun is the run itself: one uid (which also names its volumeClaimTemplate claims).
            ["context.taskRun.uid"] = SingleTaskRun ? context["context.pipelineRun.uid"] : Guid.NewGuid().ToString(),
            ["context.task.name"] = Yaml.String(Yaml.Map(pipelineTask, "taskRef"), "name") ?? name,
            ["credentials.path"] = "/tekton/creds",
        };
        // variables.md: retry-count is substituted in an inline taskSpec only; a referenced Task keeps the literal.
        if (embedded) taskValues["context.task.retry-count"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var given = Yaml.List(pipelineTask, "params").ToDictionary(p => Yaml.String(p, "name")!, p => Substitute(Yaml.Map(p).GetValueOrDefault("value"), values));
        var missing = new List<string>();
        var taskParams = new Dictionary<string, object?>();
        foreach (var param in Yaml.List(taskSpec, "params"))
        {
            var paramName = Yaml.String(param, "name")!;
            // pipelineruns.md "Default Values" (apply.go propagateParams): in an embedded taskSpec a Pipeline-level value
            // of the name is substituted before the Task's own default applies; only the pipeline task's param beats it.
            if (embedded && !given.ContainsKey(paramName) && IsPipelineParam(values, paramName)) continue;
            var value = given.TryGetValue(paramName, out var v) ? v : Yaml.Map(param).GetValueOrDefault("default");
            if (value is null) { missing.Add(paramName); continue; }
            // An object param given only some keys takes the others from its default; with no type, properties make it an object (SetDefaults).
            if ((Yaml.String(param, "type") ?? (Yaml.Has(param, "properties") ? "object" : null)) == "object"
                && Yaml.Map(param).GetValueOrDefault("default") is { } defaults && value is not string)
                value = Yaml.Map(defaults).Concat(Yaml.Map(value)).GroupBy(p => p.Key).ToDictionary(g => (object)g.Key, g => g.Last().Value);
            taskParams[paramName] = value;
        }
        if (missing.Count > 0) return Invalid($"missing values for these params which have no default values: [{string.Join(" ", missing)}]");
        // Propagation: an embedded taskSpec sees the Pipeline's params and context; the pipeline task's own params win (scope precedence).
        if (embedded)
            foreach (var (key, value) in values) taskValues.TryAdd(key, value);
        foreach (var (paramName, value) in taskParams) TektonValues.Add(taskValues, $"params.{paramName}", value);
        // taskruns.md "Propagated Parameters": an embedded taskSpec also sees the params it is given without declaring them.
        if (embedded)
            foreach (var (paramName, value) in given.Where(p => !taskParams.ContainsKey(p.Key))) TektonValues.Add(taskValues, $"params.{paramName}", value);
        var steps = Yaml.List(taskSpec, "steps");
        for (var i = 0; i < steps.Count; i++)
            taskValues[$"steps.{TaskPod.StepName(steps[i], i)}.exitCode.path"] = $"/tekton/steps/{TaskPod.StepName(steps[i], i)}/exitCode";
        foreach (var result in Yaml.List(taskSpec, "results")) taskValues[$"results.{Yaml.String(result, "name")}.path"] = $"/tekton/results/{Yaml.String(result, "name")}";

        var mounts = new Dictionary<string, WorkspaceMount>();
        try
        {
            if (await MountWorkspacesAsync(pipelineTask, taskSpec, taskValues, mounts, token) is { } unbound) return Invalid(unbound);
        }
        catch (ContainerConfigException e)
        {
            // A subPath the kubelet cannot mount (it leaves the volume) fails this TaskRun's pod, as TaskPod reports it.
            return new(name, taskRunName, "Failed", "CreateContainerConfigError", $"Failed to create pod due to config error: {e.Message}", TimeSpan.Zero, new Dictionary<string, string>(), isFinally);
        }

        IReadOnlyDictionary<string, object?> expanded;
        try
        {
            expanded = StepActions.Expand(settings.Rendered, taskSpec, taskValues);
        }
        catch (StepActionException e)
        {
            // taskrun.go prepare: a StepAction that cannot be resolved fails the TaskRun before its pod exists.
            return new(name, taskRunName, "Failed", "TaskRunResolutionFailed", e.Message, TimeSpan.Zero, new Dictionary<string, string>(), isFinally);
        }
        var overridden = TaskRunSpecs.Apply(name, WithStepTemplate(expanded), out var invalidOverride);
        if (invalidOverride is not null) return Invalid(invalidOverride);
        var pod = TaskRunSpecs.Pod(name, Pod);
        var spec = KeepStepDisplayNames(Substitute(Secured(overridden, pod), taskValues), overridden);
        // taskrun.go createPod validates the substituted spec (onError), then pod.go Build puts the Task's volumes and the
        // pod template's in one pod and ValidateVolumes refuses a name twice. Neither error is "TaskRun validation
        // failed", so handlePodCreationError fails the TaskRun as PodCreationFailed with it. (Tekton's volume message ends
        // with the field path, an index into the whole pod's volumes, Tekton's own included: left out here.)
        var podError = InvalidOnError(spec)
            ?? (DuplicateVolume(spec, pod) is { } duplicate ? $"translating TaskSpec to Pod: multiple volumes with same name \"{duplicate}\"" : null);
        if (podError is not null)
        {
            var what = Yaml.String(Yaml.Map(pipelineTask, "taskRef"), "name") is { } taskName ? $"missing or invalid Task {settings.Namespace}/{taskName}" : "invalid TaskSpec";
            return new(name, taskRunName, "Failed", "PodCreationFailed", $"failed to create task run pod \"{taskRunName}\": {podError}. Maybe {what}",
                TimeSpan.Zero, new Dictionary<string, string>(), isFinally);
        }
        var podName = attempt == 0 ? taskRunName : $"{taskRunName}-retry{attempt}";
        // pipelineruns.md "Specifying taskRunSpecs": its timeout replaces the pipeline task's.
        var request = new TaskRunRequest(name, podName, Yaml.String(Yaml.Map(pipelineTask, "taskRef"), "name") ?? name, spec, mounts,
            TaskRunSpecs.Timeout(name) ?? Quantities.Duration(Yaml.String(pipelineTask, "timeout")), isFinally)
        { Cancelled = () => CancelMessage(isFinally), Pod = pod, Labels = TaskRunSpecs.Labels(name) };
        // pipelines.md "Specifying displayName in PipelineTasks": params, results and context variables are substituted in it.
        var display = Yaml.String(pipelineTask, "displayName") is { } shown ? TektonVariables.Apply(shown, values) : null;
        var names = string.Join("; ", new[]
        {
            display is null ? null : $"\"{display}\"", Yaml.String(taskSpec, "displayName") is { } task ? $"Task \"{task}\"" : null,
            TaskRunSpecs.Timeout(name) is { } limit ? $"timeout {Quantities.Format(limit)} (taskRunSpecs)" : null,
        }.OfType<string>());
        log.Info($"[{name}] TaskRun {taskRunName} started{(attempt > 0 ? $" (pod {podName})" : "")}{(names.Length > 0 ? $": {names}" : "")}.");
        return await new TaskPod(settings).RunAsync(request, token) with { TaskRunName = taskRunName, DisplayName = display };
    }

    /// <summary>A volume name both the Task and the pod template give (Kubernetes allows one volume per name), or null.</summary>
    internal static string? DuplicateVolume(object? taskSpec, PodTemplate pod) =>
        Yaml.List(taskSpec, "volumes").Concat(pod.Volumes).Select(v => Yaml.String(v, "name") ?? "")
            .GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;

    /// <summary>Steps and sidecars with the pod's runAs* fields where their own securityContext leaves them out.</summary>
    private static IReadOnlyDictionary<string, object?> Secured(IReadOnlyDictionary<string, object?> taskSpec, PodTemplate pod)
    {
        var spec = taskSpec.ToDictionary(p => p.Key, p => p.Value);
        foreach (var containers in new[] { "steps", "sidecars" })
            if (spec.ContainsKey(containers)) spec[containers] = Yaml.List(taskSpec, containers).Select(pod.Secure).ToList();
        return spec;
    }

    /// <summary>A step's displayName as written: Tekton substitutes no variable in it (only the pipeline task's).</summary>
    private static object? KeepStepDisplayNames(object? substituted, IReadOnlyDictionary<string, object?> written)
    {
        var steps = Yaml.List(written, "steps");
        if (!steps.Any(s => Yaml.Has(s, "displayName"))) return substituted;
        var spec = Yaml.Map(substituted).ToDictionary(p => p.Key, p => p.Value);
        spec["steps"] = Yaml.List(substituted, "steps").Select((step, i) =>
        {
            if (Yaml.String(steps[i], "displayName") is not { } shown) return step;
            var kept = Yaml.Map(step).ToDictionary(p => p.Key, p => p.Value);
            kept["displayName"] = shown;
            return (object?)kept;
        }).ToList();
        return spec;
    }

    /// <summary>
    /// A step's <c>onError</c> may be a param reference (container_validation.go isParamRefs); once substituted it must be
    /// continue or stopAndFail. Returns Tekton's validation error for the first step where it is not, or null.
    /// </summary>
    private static string? InvalidOnError(object? spec) =>
        Yaml.List(spec, "steps").Select((step, i) => (Value: Yaml.String(step, "onError"), Index: i))
            .Where(s => s.Value is not (null or "continue" or "stopAndFail"))
            .Select(s => $"invalid value: \"{s.Value}\": steps[{s.Index}].onError\nTask step onError must be either \"continue\" or \"stopAndFail\"")
            .FirstOrDefault();

    /// <summary>True when the Pipeline (or the PipelineRun, propagated) has a value for the param: a string, array or object.</summary>
    private static bool IsPipelineParam(Dictionary<string, string> values, string name) =>
        values.ContainsKey($"params.{name}") || values.ContainsKey($"params.{name}[*]");

    /// <summary>
    /// Each step over the Task's stepTemplate, as Kubernetes merges a container over a template: the step's own fields
    /// win, env and volumeMounts are merged by name.
    /// </summary>
    internal static IReadOnlyDictionary<string, object?> WithStepTemplate(object? taskSpec)
    {
        var spec = Yaml.Map(taskSpec).ToDictionary(p => p.Key, p => p.Value);
        var template = Yaml.Map(taskSpec, "stepTemplate");
        if (template.Count == 0) return spec;
        spec["steps"] = Yaml.List(taskSpec, "steps").Select(step =>
        {
            var merged = template.ToDictionary(p => p.Key, p => p.Value);
            foreach (var (key, value) in Yaml.Map(step)) merged[key] = value;
            foreach (var byName in new[] { "env", "volumeMounts" })
                merged[byName] = Yaml.List(template, byName).Concat(Yaml.List(step, byName))
                    .GroupBy(e => Yaml.String(e, "name") ?? Yaml.String(e, "mountPath")).Select(g => g.Last()).ToList();
            return (object?)merged;
        }).ToList();
        spec.Remove("stepTemplate");
        return spec;
    }
}
