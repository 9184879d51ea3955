using System.Diagnostics;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.TektonLocal;

/// <summary>
/// Runs a generated Tekton Pipeline on the local Docker engine, no cluster: renders tekton/ as <c>kubectl apply -k</c>
/// would create it, checks every input before the first container starts, runs each TaskRun as a pod of containers
/// in Tekton's order (runAfter and result dependencies, independent tasks in parallel, <c>when</c>, finally, timeouts),
/// prints a status table like <c>tkn pipelinerun describe</c> and removes every container and volume it made.
/// </summary>
internal sealed partial class LocalPipelineRunner(ILog log)
{
    /// <summary>The label on every container and volume of a run (its name the value), by which the run's leftovers are found.</summary>
    internal const string RunLabel = "local.pipelines.tekton-run";

    /// <summary>
    /// Runs the build's Pipeline, or a run file holding one run, and reports how it ended; throws
    /// <see cref="PipelineException"/> for bad input before any side effect.
    /// </summary>
    public async Task<LocalPipelineRunResult> RunAsync(LocalPipelineRunOptions options, CancellationToken cancellationToken)
    {
        var runs = await CheckedRunsAsync(options, cancellationToken);
        if (runs.Count != 1) throw new InvalidOperationException($"{options.RunFile} holds {runs.Count} runs: run them with RunAllAsync, which reports each.");
        return await RunAsync(runs[0].Definition, options, runs[0].Overrides, cancellationToken);
    }

    /// <summary>
    /// Every run the options name, in order: the build's Pipeline, or each PipelineRun/TaskRun of the run file as
    /// <c>kubectl create -f</c> would create them. Their definitions and params are checked before the first starts
    /// (images as each one starts); they run one after another (a Ctrl-C ends the current one and starts no more),
    /// each with its own status table, verdict line and cleanup.
    /// </summary>
    public async Task<IReadOnlyList<LocalPipelineRunResult>> RunAllAsync(LocalPipelineRunOptions options, CancellationToken cancellationToken)
    {
        var runs = await CheckedRunsAsync(options, cancellationToken);
        if (runs.Count > 1)
            log.Info($"{Path.GetFileName(options.RunFile)} holds {runs.Count} runs ({string.Join(", ", runs.Select(r => r.Definition.RunName))}): they run one after another, in file order (a cluster runs them at once; the results are the same unless one run waits for another).");
        var results = new List<LocalPipelineRunResult>();
        foreach (var (definition, overrides) in runs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await RunAsync(definition, options, overrides, cancellationToken));
        }
        return results;
    }

    /// <summary>The runs the options name with each one's --tekton-params, their params resolved once so a bad one stops everything before the first starts.</summary>
    private async Task<IReadOnlyList<(RunDefinition Definition, IReadOnlyDictionary<string, string> Overrides)>> CheckedRunsAsync(LocalPipelineRunOptions options, CancellationToken cancellationToken)
    {
        if (options.RunFile is not { } file) return [(await RunDefinition.FromBuildAsync(options, log, cancellationToken), options.Overrides)];
        var definitions = await RunDefinition.FromFileAsync(file, options.ResourcesFolder, log, cancellationToken);
        var runs = definitions.Zip(OverridesPerRun(definitions, options.Overrides)).ToList();
        foreach (var (definition, overrides) in runs) ResolveParams(definition.Spec, definition.Params, overrides, definition.PropagatesParams);
        return runs;
    }

    /// <summary>
    /// Each run's share of --tekton-params: the ones its Pipeline declares. With one run every override must be
    /// declared (ResolveParams says so); with several, one that no run declares is refused before anything starts.
    /// </summary>
    private static List<IReadOnlyDictionary<string, string>> OverridesPerRun(IReadOnlyList<RunDefinition> definitions, IReadOnlyDictionary<string, string> overrides)
    {
        if (definitions.Count == 1) return [overrides];
        var declared = definitions.Select(d => Yaml.List(d.Spec, "params").Select(p => Yaml.String(p, "name")!).ToHashSet()).ToList();
        var unknown = overrides.Keys.Where(k => !declared.Any(d => d.Contains(k))).ToList();
        if (unknown.Count > 0)
            throw new PipelineException($"--tekton-params names {string.Join(", ", unknown)}, which no run's Pipeline declares; use one of: {string.Join(", ", declared.SelectMany(d => d).Distinct().Order())}.");
        return declared.Select(d => (IReadOnlyDictionary<string, string>)overrides.Where(o => d.Contains(o.Key)).ToDictionary()).ToList();
    }

    /// <summary>One run: its volumes, its pods in Tekton's order, its status table, then everything labelled with it removed.</summary>
    private async Task<LocalPipelineRunResult> RunAsync(RunDefinition definition, LocalPipelineRunOptions options, IReadOnlyDictionary<string, string> overrides, CancellationToken cancellationToken)
    {
        var rendered = definition.Rendered;
        var pipelineName = definition.PipelineName;
        var spec = definition.Spec;
        var parameters = ResolveParams(spec, definition.Params, overrides, definition.PropagatesParams);
        var tasks = Yaml.List(spec, "tasks").Concat(Yaml.List(spec, "finally")).ToDictionary(t => Yaml.String(t, "name")!, t => TaskSpecOf(rendered, t));
        var timeouts = definition.Timeouts.WithPipeline(options.Timeout);
        var fsGroup = definition.Pod.FsGroup;
        var environment = options.Environment ?? LocalSecrets.ProcessEnvironment();
        var secrets = new LocalSecrets(options.SecretsFile, environment) { Rendered = rendered };

        // DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI reads them: a Tekton Task's dind sidecar
        // serves TLS on tcp://localhost:2376. Connecting now turns a missing daemon into one message before any side effect.
        using var engine = new DockerEngine(DockerEndpoint.FromEnvironment(environment.GetValueOrDefault), new DetailLog(log));
        await engine.NegotiateAsync(cancellationToken);
        log.Info($"Docker engine: {engine.Endpoint.Host}.");
        // Only this build's own runner image may stand in for a step image (assembled from the host when it cannot be
        // built); a run file's images run as named, or the run stops naming them.
        var runnerRepository = definition.BuildPipeline ? RunnerRepository(tasks.Values) : "";
        var runner = definition.BuildPipeline
            ? await new RunnerImage(engine, log).ResolveAsync(options.RunnerDockerfile ?? Path.Combine(options.TektonFolder, "runner", "Dockerfile"),
                options.RunnerValidators ?? (_ => Task.FromResult<string?>(null)), cancellationToken)
            : await new RunnerImage(engine, log).ForPodsAsync(cancellationToken);
        var socket = engine.Endpoint.Transport == DockerTransport.Unix ? engine.Endpoint.SocketPath : null;
        var settings = new PodSettings(engine, "", rendered.Namespace, runner, runnerRepository, options.ImageSubstitutes, secrets, rendered, log,
            new SecretMasker(), options.HostNetwork,
            [.. options.HostPaths.Select(p => KeyValuePair.Create(p, p)), .. options.HostFolders.Select(f => KeyValuePair.Create(f.Value, f.Key))], socket, socket is null ? null : await GroupOfAsync(socket, cancellationToken));
        var imageSpecs = ImageSpecs(rendered, spec, tasks, parameters);
        var sidecarFields = imageSpecs.SelectMany(t => Yaml.List(t.Value, "sidecars").SelectMany(s =>
            SupportedFields.FindInSidecar(s).Select(f => $"task {t.Key} sidecar {Yaml.String(s, "name")} ({Yaml.String(s, "image")}): {f}"))).ToList();
        if (sidecarFields.Count > 0)
            throw new PipelineException($"The local runner does not implement these sidecar fields, so nothing was started (a cluster would honour them):\n  {string.Join("\n  ", sidecarFields)}");
        await CheckImagesAsync(settings, imageSpecs, cancellationToken);

        var name = definition.RunName ?? $"{pipelineName}-local-{Guid.NewGuid().ToString("N")[..5]}";
        settings = settings with { Run = name };
        var started = Stopwatch.StartNew();
        // pipelines.md "Specifying a display name": the Pipeline's user-facing name, shown beside its name.
        var display = Yaml.String(spec, "displayName") is { } shown ? $" \"{shown}\"" : "";
        log.Info($"{(definition.TaskRun ? "TaskRun" : "PipelineRun")} {settings.Namespace}/{name} ({(definition.TaskRun ? "" : $"Pipeline {pipelineName}{display}, ")}timeout {(timeouts.Pipeline == TimeSpan.Zero ? "none" : Quantities.Format(timeouts.Pipeline))}, fsGroup {fsGroup?.ToString() ?? "none"}).");
        try
        {
            // The run's uid names the claims of its volumeClaimTemplates, as the owner's uid does in Tekton.
            var uid = Guid.NewGuid().ToString();
            var workspaces = new Dictionary<string, string>();
            foreach (var workspace in Yaml.List(spec, "workspaces"))
            {
                var workspaceName = Yaml.String(workspace, "name")!;
                if (definition.Bindings is { } bindings && !bindings.ContainsKey(workspaceName))
                {
                    if (Yaml.String(workspace, "optional") is "true" or "True") continue;
                    throw new PipelineException($"The {(definition.TaskRun ? "TaskRun" : "PipelineRun")} {name} does not bind workspace {workspaceName}, which is not optional (InvalidWorkspaceBindings): add it under spec.workspaces (emptyDir: {{}} will do).");
                }
                workspaces[workspaceName] = await settings.Volumes.ForBindingAsync(settings, $"{name}-{workspaceName}", definition.Bindings?.GetValueOrDefault(workspaceName), uid, cancellationToken);
            }
            // workspaces.md "Propagated Workspaces": a binding an embedded spec does not declare still reaches its tasks.
            foreach (var (bound, binding) in definition.Bindings ?? new Dictionary<string, object?>())
                if (!workspaces.ContainsKey(bound)) workspaces[bound] = await settings.Volumes.ForBindingAsync(settings, $"{name}-{bound}", binding, uid, cancellationToken);
            var context = new Dictionary<string, string>
            {
                ["context.pipelineRun.name"] = name, ["context.pipelineRun.namespace"] = settings.Namespace,
                ["context.pipelineRun.uid"] = uid, ["context.pipeline.name"] = pipelineName,
            };
            var outcome = await new PipelineSchedule(settings, spec, tasks, parameters, context, workspaces, timeouts, log)
            {
                SingleTaskRun = definition.TaskRun, Pod = definition.Pod, TaskRunSpecs = definition.TaskRunSpecs,
            }.RunAsync(cancellationToken);
            var result = outcome with { Name = name, Duration = started.Elapsed };
            foreach (var line in StatusTable.Format(result, settings.Namespace, pipelineName)) log.Info(line);
            // The verdict in one line after its table, so each run of a file reads on its own.
            log.Info($"{(definition.TaskRun ? "TaskRun" : "PipelineRun")} {name}: {StatusTable.Verdict(result)}.");
            // A Ctrl-C still ends the run as cancelled (the table says Cancelled), after the table.
            cancellationToken.ThrowIfCancellationRequested();
            return result;
        }
        finally
        {
            var removed = await RemoveRunAsync(engine, name);
            log.Debug($"Removed {removed} leftover container(s)/volume(s) of {name}.");
        }
    }

    /// <summary>
    /// Declared defaults, then the run's params, then the user's overrides, which must be declared. A run's param the
    /// Pipeline does not declare is dropped (an extra param), unless the Pipeline is inlined and so receives it (propagation).
    /// </summary>
    private static Dictionary<string, object?> ResolveParams(
        IReadOnlyDictionary<string, object?> spec, IReadOnlyDictionary<string, object?> given, IReadOnlyDictionary<string, string> overrides, bool propagate)
    {
        var declared = Yaml.List(spec, "params").ToDictionary(p => Yaml.String(p, "name")!, p => Yaml.Map(p).GetValueOrDefault("default"));
        var unknown = overrides.Keys.Where(k => !declared.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
            throw new PipelineException($"--tekton-params names {string.Join(", ", unknown)}, which the Pipeline does not declare; use one of: {string.Join(", ", declared.Keys.Order())}.");
        var values = new Dictionary<string, object?>();
        foreach (var (key, value) in declared) if (value is not null) values[key] = value;
        foreach (var (key, value) in given) if (propagate || declared.ContainsKey(key)) values[key] = value;
        foreach (var (key, value) in overrides) values[key] = value;
        var missing = declared.Keys.Where(k => !values.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new PipelineException($"The PipelineRun lacks params {string.Join(", ", missing)}, which have no default (ParameterMissing): pass them with --tekton-params name=value.");
        return values;
    }

    private static object? TaskSpecOf(RenderedTekton rendered, object? pipelineTask)
    {
        if (Yaml.Has(pipelineTask, "taskSpec")) return Yaml.Map(pipelineTask, "taskSpec");
        var reference = Yaml.String(Yaml.Map(pipelineTask, "taskRef"), "name");
        return Yaml.Map(rendered.Task(reference ?? "") ?? throw new PipelineException(
            $"Pipeline task {Yaml.String(pipelineTask, "name")} refers to Task {reference}, which is not among the run's resources (CouldntGetTask): add it to the file, the resources folder (--tekton-resources) or the kustomization."), "spec");
    }

    /// <summary>The image most steps use: the generated runner image (by repository, so a tag or a digest pin both match).</summary>
    private static string RunnerRepository(IEnumerable<object?> specs) =>
        specs.SelectMany(s => Yaml.List(s, "steps")).Select(s => PodSettings.RepositoryOf(Yaml.String(s, "image") ?? ""))
            .GroupBy(r => r).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault() ?? "";

    /// <summary>
    /// Each task's spec with its params substituted into the images (a Pipeline param such as <c>dind-image</c> reaches a
    /// sidecar's image through the task's param), so the images can be checked before anything runs.
    /// </summary>
    private static Dictionary<string, object?> ImageSpecs(
        RenderedTekton rendered, IReadOnlyDictionary<string, object?> spec, IReadOnlyDictionary<string, object?> tasks, IReadOnlyDictionary<string, object?> parameters)
    {
        var pipelineValues = new Dictionary<string, string>();
        foreach (var (key, value) in parameters) TektonValues.Add(pipelineValues, $"params.{key}", value);
        var specs = new Dictionary<string, object?>();
        foreach (var pipelineTask in Yaml.List(spec, "tasks").Concat(Yaml.List(spec, "finally")))
        {
            var name = Yaml.String(pipelineTask, "name")!;
            var given = Yaml.List(pipelineTask, "params").ToDictionary(p => Yaml.String(p, "name")!, p => PipelineSchedule.Substitute(Yaml.Map(p).GetValueOrDefault("value"), pipelineValues));
            var values = new Dictionary<string, string>(pipelineValues);
            foreach (var param in Yaml.List(tasks[name], "params"))
            {
                var paramName = Yaml.String(param, "name")!;
                if ((given.TryGetValue(paramName, out var v) ? v : Yaml.Map(param).GetValueOrDefault("default")) is { } value) TektonValues.Add(values, $"params.{paramName}", value);
            }
            specs[name] = PipelineSchedule.Substitute(PipelineSchedule.WithStepTemplate(StepActions.ExpandForImages(rendered, tasks[name], values)), values);
        }
        return specs;
    }

    /// <summary>Every image a step or sidecar needs is here or pulled before anything runs: one message naming each that is not.</summary>
    private async Task CheckImagesAsync(PodSettings settings, IReadOnlyDictionary<string, object?> tasks, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>();
        foreach (var (task, spec) in tasks)
        foreach (var container in Yaml.List(spec, "steps").Concat(Yaml.List(spec, "sidecars").Where(s => !TaskPod.IsDind(s))))
        {
            var (image, isRunner) = settings.Resolve(Yaml.String(container, "image") ?? "");
            if (isRunner || image == settings.Runner.Image || !seen.Add(image)) continue;
            if (await LocalImages.HasAsync(settings.Engine, image, cancellationToken)) continue;
            log.Info($"Pulling {image} (task {task}) …");
            if (await LocalImages.PullAsync(settings.Engine, image, TimeSpan.FromSeconds(60), cancellationToken) is { } error)
                problems.Add($"{image} (task {task}, {Yaml.String(container, "name")}): {error.Split('\n')[0].Trim()}");
        }
        if (problems.Count > 0)
            throw new PipelineException($"Image(s) cannot be pulled: {string.Join("; ", problems)}. Load or build them locally, or run another local image in their place with --tekton-images image=local-image (runner = the runner image).");
    }

    /// <summary>
    /// Removes every container and volume labelled with the run: called on every exit path, Ctrl-C included, so it
    /// neither takes the (cancelled) token nor stops at one that will not go.
    /// </summary>
    private async Task<int> RemoveRunAsync(DockerEngine engine, string run)
    {
        var label = $"{RunLabel}={run}";
        var removed = 0;
        foreach (var container in await engine.ListContainersAsync(label, CancellationToken.None))
            if (await CleanUpAsync(() => engine.RemoveContainerAsync(container, CancellationToken.None), log)) removed++;
        foreach (var volume in await engine.ListVolumesAsync(label, CancellationToken.None))
            if (await CleanUpAsync(() => engine.RemoveVolumeAsync(volume, CancellationToken.None), log)) removed++;
        return removed;
    }

    /// <summary>One cleanup call; a refusal (a removal already under way, a volume still in use) is logged and the cleanup goes on.</summary>
    internal static async Task<bool> CleanUpAsync(Func<Task> remove, ILog log)
    {
        try
        {
            await remove();
            return true;
        }
        catch (DockerApiException e)
        {
            log.Debug(e.Message);
            return false;
        }
    }

    private async Task<string?> GroupOfAsync(string path, CancellationToken cancellationToken)
    {
        var result = await new Command("stat").WithArguments("-c", "%g", path).WithOutput(OutputMode.Quiet).ExecuteAsync(null, cancellationToken);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    /// <summary>
    /// The engine's pull and build progress is detail for a local run, shown with --verbose: the runner says in one line
    /// what it pulls or builds, and a failure comes back as the one message that names the image.
    /// </summary>
    private sealed class DetailLog(ILog inner) : ILog
    {
        public void Write(LogLevel level, string message) => inner.Write(level == LogLevel.Info ? LogLevel.Debug : level, message);
    }
}
