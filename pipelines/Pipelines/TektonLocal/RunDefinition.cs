using Pipelines.Logging;

namespace Pipelines.TektonLocal;

/// <summary>
/// What one local run executes, whichever way it was asked for: this build's generated Pipeline (tekton/ rendered,
/// the TriggerTemplate's PipelineRun) or a PipelineRun/TaskRun file with its resources. A TaskRun becomes a Pipeline
/// of one task named after it, so one scheduler runs both.
/// </summary>
/// <param name="Rendered">Every object the run may reference (Tasks, Pipelines, ConfigMaps, Secrets).</param>
/// <param name="RunName">The PipelineRun/TaskRun name the file gives; null: made up.</param>
/// <param name="PipelineName">The Pipeline's name (the TaskRun's for a TaskRun).</param>
/// <param name="Spec">The Pipeline spec to run.</param>
/// <param name="Params">The run's param values: a string, a list (array) or a map (object).</param>
/// <param name="Bindings">The run's workspace bindings by name; null: every Pipeline workspace gets a fresh volume.</param>
/// <param name="Pod">The run-level pod template (the TaskRun's podTemplate, the PipelineRun's taskRunTemplate.podTemplate).</param>
/// <param name="TaskRun">True when the file's object is a TaskRun: the verdict is its single task's.</param>
/// <param name="BuildPipeline">True for this build's own Pipeline, whose runner image may be assembled from the host.</param>
internal sealed record RunDefinition(
    RenderedTekton Rendered, string? RunName, string PipelineName, IReadOnlyDictionary<string, object?> Spec,
    IReadOnlyDictionary<string, object?> Params, IReadOnlyDictionary<string, object?>? Bindings,
    RunTimeouts Timeouts, PodTemplate Pod, bool TaskRun, bool BuildPipeline)
{
    /// <summary>
    /// The PipelineRun embeds its Pipeline (<c>pipelineSpec</c>): pipelineruns.md "Propagated Parameters" — its params
    /// reach the inlined specs without being declared there.
    /// </summary>
    public bool PropagatesParams { get; init; }

    /// <summary>The PipelineRun's per-task settings (<c>taskRunSpecs</c>).</summary>
    public TaskRunSpecs TaskRunSpecs { get; init; } = TaskRunSpecs.None;

    /// <summary>This build's Pipeline: tekton/ rendered by kustomize, its ConfigMaps set for this run, the triggered PipelineRun's timeout and fsGroup.</summary>
    public static async Task<RunDefinition> FromBuildAsync(LocalPipelineRunOptions options, ILog log, CancellationToken cancellationToken)
    {
        SupportedFields.Check(SourceFiles(options.TektonFolder));
        StepActions.Validate(SourceFiles(options.TektonFolder));
        var rendered = await RenderedTekton.RenderAsync(options.TektonFolder, log, cancellationToken);
        var unknownSettings = options.Settings.Keys.Except(rendered.SettingKeys).ToList();
        if (unknownSettings.Count > 0)
            throw new PipelineException($"--tekton-settings names {string.Join(", ", unknownSettings)}, which no ConfigMap in tekton/ holds; use one of: {string.Join(", ", rendered.SettingKeys.Order())}.");
        rendered = rendered.WithSettings(options.Settings);
        var pipeline = rendered.Pipeline(options.PipelineName);
        var name = RenderedTekton.NameOf(pipeline);
        var template = Yaml.Map(rendered.TriggeredRun(name), "spec");
        return new RunDefinition(rendered, null, name, Yaml.Map(pipeline, "spec"), options.Params.ToDictionary(p => p.Key, p => (object?)p.Value), null,
            RunTimeouts.Of(Yaml.Map(template, "timeouts"), $"the PipelineRun of Pipeline {name}"), PodOf(Yaml.Map(template, "taskRunTemplate")), false, true)
        { TaskRunSpecs = TaskRunSpecs.Of(template, rendered, $"the PipelineRun of Pipeline {name}").Validated(Yaml.Map(pipeline, "spec"), rendered.Namespace, name) };
    }

    /// <summary>
    /// The PipelineRuns and TaskRuns in <paramref name="file"/>, in file order (as <c>kubectl create -f</c> creates them),
    /// their references found in the file or in <paramref name="resources"/>.
    /// </summary>
    public static async Task<IReadOnlyList<RunDefinition>> FromFileAsync(string file, string? resources, ILog log, CancellationToken cancellationToken)
    {
        if (!File.Exists(file)) throw new PipelineException($"--file {file} does not exist: pass a PipelineRun or TaskRun YAML file.");
        if (resources is not null && !Directory.Exists(resources)) throw new PipelineException($"--tekton-resources {resources} is not a folder: pass the folder that holds the Tasks and Pipelines the run references.");
        var kustomized = resources is not null && File.Exists(Path.Combine(resources, "kustomization.yaml"));
        string[] sources = resources is null ? [file] : [file, .. SourceFiles(resources)];
        SupportedFields.Check(sources);
        StepActions.Validate(sources);
        var documents = RenderedTekton.Parse(await File.ReadAllTextAsync(file, cancellationToken), file).Documents.ToList();
        var runs = documents.Where(d => Yaml.String(d, "kind") is "PipelineRun" or "TaskRun").ToList();
        if (runs.Count == 0)
            throw new PipelineException($"{file} holds no PipelineRun or TaskRun: --file runs the ones it holds (Tasks and Pipelines may sit beside them, or in --tekton-resources).");
        if (resources is not null)
            documents.AddRange(kustomized ? (await RenderedTekton.RenderAsync(resources, log, cancellationToken)).Documents
                : SourceFiles(resources).SelectMany(f => RenderedTekton.Parse(File.ReadAllText(f), f).Documents));
        var rendered = RenderedTekton.Of(documents);
        var definitions = runs.Select(run => FromRun(run, rendered, file, resources)).ToList();
        // kubectl create refuses a second object of the same kind and name (AlreadyExists): the later one never runs.
        var twice = definitions.GroupBy(d => (d.TaskRun, d.RunName)).Where(g => g.Count() > 1).Select(g => $"{(g.Key.TaskRun ? "TaskRun" : "PipelineRun")} {g.Key.RunName}").ToList();
        if (twice.Count > 0)
            throw new PipelineException($"{file} names {string.Join(", ", twice)} more than once (a cluster would refuse the later one: AlreadyExists): give each run its own metadata.name, or use generateName.");
        return definitions;
    }

    private static RunDefinition FromRun(object? run, RenderedTekton rendered, string file, string? resources)
    {
        var metadata = Yaml.Map(run, "metadata");
        var runName = Yaml.String(metadata, "name") ?? $"{(Yaml.String(metadata, "generateName") ?? "run-").TrimEnd('-')}-{Guid.NewGuid().ToString("N")[..5]}";
        var spec = Yaml.Map(run, "spec");
        CredentialSecrets.Refuse(rendered, Yaml.String(spec, "serviceAccountName") ?? Yaml.String(Yaml.Map(spec, "taskRunTemplate"), "serviceAccountName"), file);
        var parameters = Yaml.List(spec, "params").ToDictionary(p => Yaml.String(p, "name")!, p => Yaml.Map(p).GetValueOrDefault("value"));
        var bindings = Yaml.List(spec, "workspaces").ToDictionary(w => Yaml.String(w, "name")!, w => w);
        if (Yaml.String(run, "kind") == "TaskRun")
        {
            // One pipeline task named after the TaskRun: its params and workspaces passed through as written.
            var task = new Dictionary<string, object?>
            {
                ["name"] = runName,
                ["params"] = Yaml.List(spec, "params").ToList(),
                ["workspaces"] = bindings.Keys.Select(w => (object?)new Dictionary<string, object?> { ["name"] = w, ["workspace"] = w }).ToList(),
                // taskruns.md: the default is default-timeout-minutes (60); "0" is no timeout.
                ["timeout"] = Yaml.String(spec, "timeout") ?? Quantities.Format(RunTimeouts.Default),
            };
            if (Yaml.Has(spec, "taskSpec")) task["taskSpec"] = Yaml.Map(spec, "taskSpec"); else task["taskRef"] = Yaml.Map(spec, "taskRef");
            var pipeline = new Dictionary<string, object?>
            {
                ["tasks"] = new List<object?> { task },
                ["workspaces"] = bindings.Keys.Select(w => (object?)new Dictionary<string, object?> { ["name"] = w }).ToList(),
            };
            return new RunDefinition(rendered, runName, runName, pipeline, new Dictionary<string, object?>(), bindings, RunTimeouts.None,
                PodOf(spec), true, false);
        }
        IReadOnlyDictionary<string, object?> pipelineSpec;
        string pipelineName;
        if (Yaml.Has(spec, "pipelineSpec")) (pipelineSpec, pipelineName) = (Yaml.Map(spec, "pipelineSpec"), runName);
        else
        {
            pipelineName = Yaml.String(Yaml.Map(spec, "pipelineRef"), "name") ?? throw new PipelineException($"{file}: the PipelineRun has neither pipelineRef.name nor pipelineSpec.");
            var found = rendered.OfKind("Pipeline").FirstOrDefault(p => RenderedTekton.NameOf(p) == pipelineName)
                ?? throw new PipelineException($"{file}: Pipeline {pipelineName} is neither in the file nor in {resources ?? "a resources folder (none given)"} (CouldntGetPipeline): add it, or pass --tekton-resources <folder>.");
            pipelineSpec = Yaml.Map(found, "spec");
        }
        var timeouts = RunTimeouts.Of(Yaml.Map(spec, "timeouts"), file);
        var taskRunSpecs = TaskRunSpecs.Of(spec, rendered, file).Validated(pipelineSpec, rendered.Namespace, runName);
        return new RunDefinition(rendered, runName, pipelineName, pipelineSpec, parameters, bindings, timeouts, PodOf(Yaml.Map(spec, "taskRunTemplate")), false, false)
        { PropagatesParams = Yaml.Has(spec, "pipelineSpec"), TaskRunSpecs = taskRunSpecs };
    }

    private static PodTemplate PodOf(object? holder) => PodTemplate.Of(Yaml.Map(holder, "podTemplate"));

    /// <summary>The YAML files of a resources folder (kustomization.yaml itself aside), where the objects and their lines are written.</summary>
    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != "kustomization.yaml").Order(StringComparer.Ordinal);
}
