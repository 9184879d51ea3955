namespace Pipelines.TektonLocal;

internal sealed partial class TaskPod
{
    /// <summary>
    /// The Task's own <c>volumes</c>: emptyDir a fresh volume, configMap/secret the object's keys as read-only files
    /// (a missing object fails the pod: CreateContainerConfigError). Returns them by name, and the read-only ones.
    /// </summary>
    private async Task<(Dictionary<string, string> Volumes, HashSet<string> ReadOnly)> CreateTaskVolumesAsync(TaskRunRequest request, CancellationToken cancellationToken)
    {
        foreach (var workspace in request.Workspaces.Values)
            if (settings.Volumes.ConfigError(workspace.Volume) is { } error) throw new ContainerConfigException(error);
        var volumes = new Dictionary<string, string>(StringComparer.Ordinal);
        var readOnly = new HashSet<string>(StringComparer.Ordinal);
        // pod.go: the pod template's volumes join the Task's, and steps mount them by name the same way.
        foreach (var volume in Yaml.List(request.Spec, "volumes").Concat(request.Pod.Volumes))
        {
            var name = Yaml.String(volume, "name")!;
            if (Yaml.Has(volume, "emptyDir"))
            {
                volumes[name] = await settings.Engine.CreateVolumeAsync($"{request.TaskRunName}-{name}", settings.RunLabels, cancellationToken);
                _volumes.Add(volumes[name]);
            }
            else if (Yaml.Has(volume, "configMap") || Yaml.Has(volume, "secret") || Yaml.Has(volume, "projected"))
            {
                volumes[name] = await settings.Volumes.ConfigAsync(settings, $"{request.TaskRunName}-{name}", volume, cancellationToken);
                _volumes.Add(volumes[name]);
                readOnly.Add(name);
            }
            else throw new PipelineException($"Task {request.TaskName} volume {name}: only emptyDir, configMap, secret and projected volumes run locally.");
        }
        return (volumes, readOnly);
    }

    /// <summary>The emptyDir Tekton mounts at <c>/workspace</c> in every step, so files one step writes there the next one reads (pod.go implicitVolumeMounts).</summary>
    private async Task<string> CreateImplicitWorkspaceAsync(TaskRunRequest request, CancellationToken cancellationToken)
    {
        var volume = await settings.Engine.CreateVolumeAsync($"{request.TaskRunName}-workspace", settings.RunLabels, cancellationToken);
        _volumes.Add(volume);
        return volume;
    }

    /// <summary>The steps' <c>/tekton/run/&lt;index&gt;</c> emptyDirs (<see cref="PodLayout.RunDirs"/>).</summary>
    private async Task<IReadOnlyList<string>> CreateRunDirsAsync(TaskRunRequest request, int steps, CancellationToken cancellationToken)
    {
        var dirs = new List<string>();
        for (var i = 0; i < steps; i++)
        {
            dirs.Add(await settings.Engine.CreateVolumeAsync($"{request.TaskRunName}-run-{i}", settings.RunLabels, cancellationToken));
            _volumes.Add(dirs[^1]);
        }
        return dirs;
    }

    /// <summary>
    /// A container's mounts besides /tekton: its volumeMounts (a Task volume, or a workspace by the volume name
    /// <c>$(workspaces.w.volume)</c> gave it), the workspaces (every step gets the shared ones, a step or sidecar
    /// that lists a workspace under <c>workspaces</c> gets that one alone: workspace/apply.go), and for steps the
    /// implicit /workspace unless something else is mounted there.
    /// </summary>
    private IEnumerable<string> MountsOf(TaskRunRequest request, PodLayout pod, object? container)
    {
        var isSidecar = Yaml.List(request.Spec, "sidecars").Any(s => ReferenceEquals(s, container));
        var binds = new List<string>();
        var mounted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in Yaml.List(container, "volumeMounts"))
        {
            var volume = Yaml.String(mount, "name")!;
            var path = Yaml.String(mount, "mountPath")!;
            var readOnly = Yaml.String(mount, "readOnly") is "true" or "True";
            if (pod.EmptyDirs.TryGetValue(volume, out var docker)) binds.Add(Volume(docker, path, readOnly || pod.ReadOnlyVolumes.Contains(volume)));
            else if (pod.Workspaces.Values.FirstOrDefault(w => w.Volume == volume) is { } workspace) binds.Add(Volume(workspace.Volume, path, readOnly || workspace.ReadOnly));
            else throw new PipelineException($"Task {request.TaskName} mounts volume {volume}, which it does not declare.");
            mounted.Add(path);
        }
        var isolated = Yaml.List(request.Spec, "steps").Concat(Yaml.List(request.Spec, "sidecars"))
            .SelectMany(c => Yaml.List(c, "workspaces")).Select(w => Yaml.String(w, "name")).ToHashSet(StringComparer.Ordinal);
        var own = Yaml.List(container, "workspaces").ToDictionary(w => Yaml.String(w, "name") ?? "", w => Yaml.String(w, "mountPath"), StringComparer.Ordinal);
        foreach (var workspace in pod.Workspaces.Values)
        {
            string path;
            if (isolated.Contains(workspace.Name))
            {
                if (!own.TryGetValue(workspace.Name, out var overridden)) continue;
                path = overridden ?? workspace.MountPath;
            }
            else if (isSidecar) continue;
            else path = workspace.MountPath;
            if (mounted.Add(path)) binds.Add(Volume(workspace.Volume, path, workspace.ReadOnly));
        }
        if (!isSidecar && pod.Steps is { } stepsVolume) binds.Add(Volume(stepsVolume, "/tekton/steps", readOnly: true));
        // The index comes from the caller: the step it runs may be a copy with step results substituted, not the spec's node.
        for (var i = 0; i < pod.RunDirs.Count && !isSidecar; i++) binds.Add(Volume(pod.RunDirs[i], $"/tekton/run/{i}", readOnly: i != pod.StepIndex));
        if (!isSidecar && pod.OwnStepResults is { } results) binds.Add(Volume(results.Volume, results.Path));
        if (!isSidecar && pod.ImplicitWorkspace is { } implicitWorkspace && !mounted.Contains("/workspace"))
            binds.Add(Volume(implicitWorkspace, "/workspace"));
        return binds;
    }
}
