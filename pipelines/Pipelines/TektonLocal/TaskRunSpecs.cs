namespace Pipelines.TektonLocal;

/// <summary>
/// A PipelineRun's <c>taskRunSpecs</c> (pipelineruns.md "Specifying taskRunSpecs"): per pipeline task, a podTemplate
/// merged over the taskRunTemplate's, a serviceAccountName, the computeResources of named steps and sidecars
/// (<c>stepSpecs</c>, <c>sidecarSpecs</c>), the TaskRun's labels and annotations (<c>metadata</c>, which reach its pod)
/// and a <c>timeout</c> that replaces the pipeline task's.
/// </summary>
internal sealed class TaskRunSpecs
{
    private readonly IReadOnlyDictionary<string, object?> _byTask;

    private TaskRunSpecs(IReadOnlyDictionary<string, object?> byTask) => _byTask = byTask;

    /// <summary>None: every TaskRun as the run-level template makes it.</summary>
    public static readonly TaskRunSpecs None = new(new Dictionary<string, object?>());

    /// <summary>
    /// The run spec's taskRunSpecs, checked as Tekton's webhook checks them before the run exists: a timeout at most
    /// <c>timeouts.tasks</c>, else <c>timeouts.pipeline</c>, else the default 60 minutes (validateTaskRunSpecTimeout);
    /// a ServiceAccount the runner cannot honour is refused as the run-level one is (<see cref="CredentialSecrets"/>).
    /// </summary>
    public static TaskRunSpecs Of(object? runSpec, RenderedTekton rendered, string file)
    {
        var entries = Yaml.List(runSpec, "taskRunSpecs");
        var timeouts = Yaml.Map(runSpec, "timeouts");
        var (limit, source) = Quantities.Duration(Yaml.String(timeouts, "tasks")) is { } tasks ? (tasks, "pipeline tasks duration")
            : Quantities.Duration(Yaml.String(timeouts, "pipeline")) is { } pipeline ? (pipeline, "pipeline duration")
            : (RunTimeouts.Default, "default pipeline duration");
        for (var i = 0; i < entries.Count; i++)
        {
            CredentialSecrets.Refuse(rendered, Yaml.String(entries[i], "serviceAccountName"), file);
            if (Quantities.Duration(Yaml.String(entries[i], "timeout")) is { } timeout && limit != TimeSpan.Zero && timeout > limit)
                throw new PipelineException($"{file}: invalid value: {Quantities.Format(timeout)} should be <= {source} {Quantities.Format(limit)}: spec.taskRunSpecs[{i}].timeout (pipelineruns.md \"Specifying taskRunSpecs\"); lower it or raise spec.timeouts.");
        }
        return new TaskRunSpecs(entries.GroupBy(e => Yaml.String(e, "pipelineTaskName") ?? "").ToDictionary(g => g.Key, g => g.Last()));
    }

    /// <summary>
    /// These, once every entry is found to name a task of the Pipeline; otherwise the reconciler fails the run before any
    /// TaskRun (InvalidTaskRunSpecs).
    /// </summary>
    public TaskRunSpecs Validated(IReadOnlyDictionary<string, object?> pipelineSpec, string @namespace, string run)
    {
        var tasks = Yaml.List(pipelineSpec, "tasks").Concat(Yaml.List(pipelineSpec, "finally")).Select(t => Yaml.String(t, "name")).ToHashSet();
        if (_byTask.Keys.FirstOrDefault(name => !tasks.Contains(name)) is { } unknown)
            throw new PipelineException($"PipelineRun {@namespace}/{run} doesn't define taskRunSpecs correctly: pipelineRun's taskrunSpecs defined wrong taskName: \"{unknown}\", does not exist in Pipeline (InvalidTaskRunSpecs); use one of: {string.Join(", ", tasks.Order())}.");
        return this;
    }

    /// <summary>The pod template of a task's TaskRun: its entry's over the run's.</summary>
    public PodTemplate Pod(string task, PodTemplate run) =>
        _byTask.TryGetValue(task, out var entry) && Yaml.Has(entry, "podTemplate") ? PodTemplate.Of(Yaml.Map(entry, "podTemplate")).Over(run) : run;

    /// <summary>The entry's timeout, which replaces the pipeline task's ("0": none), or null.</summary>
    public TimeSpan? Timeout(string task) => Quantities.Duration(Yaml.String(_byTask.GetValueOrDefault(task), "timeout"));

    /// <summary>The TaskRun's labels and annotations from the entry's metadata, which Tekton passes on to its pod.</summary>
    public IReadOnlyDictionary<string, string> Labels(string task)
    {
        var metadata = Yaml.Map(_byTask.GetValueOrDefault(task), "metadata");
        return Yaml.Map(metadata, "annotations").Concat(Yaml.Map(metadata, "labels"))
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => Convert.ToString(g.Last().Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
    }

    /// <summary>
    /// The Task spec with the entry's stepSpecs and sidecarSpecs computeResources merged over the named containers'
    /// (MergeStepsWithSpecs); a name the Task lacks is Tekton's validation failure, returned as its message.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Apply(string task, IReadOnlyDictionary<string, object?> taskSpec, out string? invalid)
    {
        invalid = null;
        var entry = _byTask.GetValueOrDefault(task);
        var spec = taskSpec.ToDictionary(p => p.Key, p => p.Value);
        foreach (var (field, containers, kind) in new[] { ("stepSpecs", "steps", "StepOverride: No Step"), ("sidecarSpecs", "sidecars", "SidecarOverride: No Sidecar") })
        {
            var overrides = Yaml.List(entry, field);
            if (overrides.Count == 0) continue;
            var names = Yaml.List(spec, containers).Select(c => Yaml.String(c, "name")).ToHashSet();
            if (overrides.Select(o => Yaml.String(o, "name")).FirstOrDefault(n => !names.Contains(n)) is { } missing)
            {
                invalid = $"invalid {kind} named {missing}";
                return taskSpec;
            }
            spec[containers] = Yaml.List(spec, containers).Select(container =>
            {
                if (overrides.LastOrDefault(o => Yaml.String(o, "name") == Yaml.String(container, "name")) is not { } own) return container;
                var merged = Yaml.Map(container).ToDictionary(p => p.Key, p => p.Value);
                // A strategic merge (mergeObjWithTemplate): limits and requests key by key, the entry's quantity winning.
                var resources = Yaml.Map(container, "computeResources").ToDictionary(p => p.Key, p => p.Value);
                foreach (var (key, value) in Yaml.Map(own, "computeResources"))
                    resources[key] = value is IDictionary<object, object?> or IReadOnlyDictionary<string, object?>
                        ? Yaml.Map(resources.GetValueOrDefault(key)).Concat(Yaml.Map(value)).GroupBy(q => q.Key).ToDictionary(g => g.Key, g => g.Last().Value)
                        : value;
                merged["computeResources"] = resources;
                return (object?)merged;
            }).ToList();
        }
        return spec;
    }

    /// <summary>
    /// pipelinerun_validation.go validateStepSpecs: each stepSpecs and sidecarSpecs entry names its container, once per
    /// taskRunSpecs entry; refused before the run exists, as "file:line:column path: message".
    /// </summary>
    internal static void FindInvalidNames(YamlDotNet.RepresentationModel.YamlNode root, string file, List<string> problems)
    {
        var entries = StepActions.Child(StepActions.Child(root, "spec") ?? root, "taskRunSpecs") as YamlDotNet.RepresentationModel.YamlSequenceNode;
        foreach (var (entry, j) in (entries?.Children ?? []).Select((e, j) => (e, j)))
            foreach (var field in new[] { "stepSpecs", "sidecarSpecs" })
            {
                if (StepActions.Child(entry, field) is not YamlDotNet.RepresentationModel.YamlSequenceNode specs) continue;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (spec, i) in specs.Children.Select((s, i) => (s, i)))
                {
                    var path = $"spec.taskRunSpecs[{j}].{field}[{i}].name";
                    if (StepActions.Child(spec, "name") is not YamlDotNet.RepresentationModel.YamlScalarNode { Value: { Length: > 0 } name } node)
                        problems.Add($"{StepActions.At(spec, file)} {path}: missing field(s) (name the step or sidecar whose computeResources this sets)");
                    else if (!seen.Add(name))
                        problems.Add($"{StepActions.At(node, file)} {path}: expected exactly one, got both ({name} is named twice: merge the two entries)");
                }
            }
    }
}
