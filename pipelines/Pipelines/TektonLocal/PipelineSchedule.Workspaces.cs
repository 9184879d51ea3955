namespace Pipelines.TektonLocal;

internal sealed partial class PipelineSchedule
{
    /// <summary>
    /// A pipeline task's workspaces as Tekton binds them (workspaces.md; pipelinerun.go <c>propagateWorkspaces</c>,
    /// workspace/apply.go <c>Apply</c>): an embedded taskSpec gets the run's workspaces it references without binding
    /// them, a binding the Task does not declare is mounted at <c>/workspace/&lt;name&gt;</c>, a binding without
    /// <c>workspace</c> names the Pipeline workspace of the same name, the task's <c>subPath</c> is a folder of the
    /// run's volume. Returns why the task cannot run (a required workspace unbound), or null.
    /// </summary>
    private async Task<string?> MountWorkspacesAsync(
        object? pipelineTask, object? taskSpec, Dictionary<string, string> taskValues, Dictionary<string, WorkspaceMount> mounts, CancellationToken token)
    {
        var bindings = Yaml.List(pipelineTask, "workspaces").ToDictionary(w => Yaml.String(w, "name")!, w => (object?)w);
        if (Yaml.Has(pipelineTask, "taskSpec"))
            foreach (var used in UsedWorkspaces(taskSpec).Where(w => !bindings.ContainsKey(w) && workspaceVolumes.ContainsKey(w)))
                bindings[used] = new Dictionary<string, object?> { ["name"] = used };
        var declared = Yaml.List(taskSpec, "workspaces").ToList();
        foreach (var extra in bindings.Keys.Where(b => declared.All(d => Yaml.String(d, "name") != b)).ToList())
            declared.Add(new Dictionary<string, object?> { ["name"] = extra });
        foreach (var declaration in declared)
        {
            var workspace = Yaml.String(declaration, "name")!;
            var path = Yaml.String(declaration, "mountPath") ?? $"/workspace/{workspace}";
            var source = bindings.TryGetValue(workspace, out var binding) ? Yaml.String(binding, "workspace") ?? workspace : null;
            var bound = source is not null && workspaceVolumes.ContainsKey(source);
            if (!bound && Yaml.String(declaration, "optional") is not ("true" or "True"))
                return $"workspace {workspace} is required but not bound";
            taskValues[$"workspaces.{workspace}.path"] = bound ? path : "";
            taskValues[$"workspaces.{workspace}.bound"] = bound ? "true" : "false";
            taskValues[$"workspaces.{workspace}.claim"] = bound ? settings.Volumes.ClaimOf(workspaceVolumes[source!]) : "";
            if (!bound) { taskValues[$"workspaces.{workspace}.volume"] = ""; continue; }
            var volume = workspaceVolumes[source!];
            if (Yaml.String(binding, "subPath") is { Length: > 0 } subPath)
                volume = await settings.Volumes.SubPathAsync(settings, volume, TektonVariables.Apply(subPath, PipelineValues(isFinally: false)), token);
            taskValues[$"workspaces.{workspace}.volume"] = volume;
            var readOnly = Yaml.String(declaration, "readOnly") is "true" or "True" || settings.Volumes.IsReadOnly(volume);
            mounts[workspace] = new WorkspaceMount(volume, path, readOnly) { Name = workspace };
        }
        return null;
    }

    /// <summary>The workspaces a Task's text references (<c>$(workspaces.&lt;w&gt;.…)</c>), as Tekton's FindWorkspacesUsedByTask finds them.</summary>
    private static IEnumerable<string> UsedWorkspaces(object? taskSpec) =>
        TektonValues.Strings(taskSpec).SelectMany(TektonVariables.Names)
            .Select(n => n.Split('.')).Where(p => p.Length >= 3 && p[0] == "workspaces").Select(p => p[1]).Distinct();
}
