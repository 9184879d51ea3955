using System.Net;
using System.Text;
using Pipelines.Docker;
using Pipelines.Logging;

namespace Pipelines.TektonLocal;

internal sealed partial class TaskPod
{
    /// <summary>Tekton's place-scripts and fsGroup, in one root container: scripts into /tekton/scripts, results dir, workspace roots group-owned.</summary>
    private async Task InitializeAsync(TaskRunRequest request, PodLayout pod, IReadOnlyList<object?> steps, CancellationToken cancellationToken)
    {
        var shell = new StringBuilder("set -e; mkdir -p /tekton/results /tekton/scripts /tekton/home /tekton/steps; chmod 0777 /tekton/results /tekton/home; ");
        var env = new Dictionary<string, string>();
        var containers = steps.Select((s, i) => (Node: s, File: $"script-{i}"))
            .Concat(Yaml.List(request.Spec, "sidecars").Select((s, i) => (Node: s, File: $"sidecar-script-{i}")));
        foreach (var (node, file) in containers)
        {
            if (Yaml.String(node, "script") is not { } script) continue;
            if (!script.TrimStart().StartsWith("#!", StringComparison.Ordinal)) script = "#!/bin/sh\nset -e\n" + script;
            var variable = file.Replace('-', '_').ToUpperInvariant();
            env[variable] = Convert.ToBase64String(Encoding.UTF8.GetBytes(script));
            shell.Append($"printf '%s' \"${variable}\" | base64 -d > /tekton/scripts/{file}; chmod 0755 /tekton/scripts/{file}; ");
        }
        shell.Append(StepResultFolders(steps));
        if (request.Pod.FsGroup is { } group)
            foreach (var workspace in pod.Workspaces.Values.Where(w => !w.ReadOnly))
                shell.Append($"chgrp {group} '{workspace.MountPath}'; chmod g+rwxs '{workspace.MountPath}'; ");
        var binds = new List<string>(settings.Runner.Binds) { Volume(pod.Tekton, "/tekton") };
        binds.AddRange(pod.Workspaces.Values.Select(w => Volume(w.Volume, w.MountPath)));
        // An emptyDir is world-writable (0777), so a step of any uid writes its own /tekton/run/<index>.
        binds.AddRange(pod.RunDirs.Select((dir, i) => Volume(dir, $"/tekton/run/{i}")));
        if (pod.RunDirs.Count > 0) shell.Append("chmod 0777 /tekton/run/*; ");
        // The kubelet makes every emptyDir 0777 (pkg/volume/emptydir), so a step of any uid writes the Task's and the pod
        // template's emptyDir volumes and /workspace; a Docker volume's root starts 0755 root.
        var emptyDirs = pod.EmptyDirs.Where(v => !pod.ReadOnlyVolumes.Contains(v.Key)).Select(v => v.Value)
            .Concat(pod.ImplicitWorkspace is { } implicitWorkspace ? [implicitWorkspace] : []).ToList();
        binds.AddRange(emptyDirs.Select((volume, i) => Volume(volume, $"/emptydir/{i}")));
        if (emptyDirs.Count > 0) shell.Append("chmod 0777 /emptydir/*; ");
        var id = await CreateAsync(request, "prepare", new ContainerSpec(settings.Runner.Image)
        {
            User = "0", Entrypoint = ["/bin/sh", "-c", shell.ToString()], Environment = env, Binds = binds, NetworkMode = "none",
        }, cancellationToken);
        await settings.Engine.StartContainerAsync(id, cancellationToken);
        var exitCode = await settings.Engine.WaitContainerAsync(id, cancellationToken);
        if (exitCode != 0)
            throw new PipelineException($"Preparing the pod of {request.TaskRunName} failed (exit {exitCode}); run with --verbose and check the runner image {settings.Runner.Image}.");
    }

    /// <summary>The pause container: it owns the pod's network namespace (the host's when HostNetwork) and keeps /tekton readable.</summary>
    private async Task<string> StartHolderAsync(TaskRunRequest request, PodLayout pod, CancellationToken cancellationToken)
    {
        var id = await CreateAsync(request, "pod", new ContainerSpec(settings.Runner.Image)
        {
            User = "0", Entrypoint = ["sleep", "infinity"],
            Binds = [.. settings.Runner.Binds, Volume(pod.Tekton, "/tekton")], NetworkMode = settings.HostNetwork ? "host" : "bridge",
        }, cancellationToken);
        await settings.Engine.StartContainerAsync(id, cancellationToken);
        return id;
    }

    private async Task StartSidecarsAsync(TaskRunRequest request, PodLayout pod, string holder, CancellationToken cancellationToken)
    {
        var sidecars = Yaml.List(request.Spec, "sidecars");
        for (var i = 0; i < sidecars.Count; i++)
        {
            var sidecar = sidecars[i];
            if (IsDind(sidecar)) continue;
            var name = $"sidecar-{Yaml.String(sidecar, "name")}";
            var env = ResolveEnvironment(sidecar, out var error);
            if (error is not null) throw new ContainerConfigException(error);
            var id = await CreateAsync(request, name, await ContainerAsync(request, pod, holder, sidecar, $"/tekton/scripts/sidecar-script-{i}", env, cancellationToken), cancellationToken);
            try
            {
                await settings.Engine.StartContainerAsync(id, cancellationToken);
            }
            catch (DockerApiException e)
            {
                // The kubelet records a start the runtime refuses as Terminated (StartError); Tekton's steps do not wait for it.
                settings.Log.Info($"[{request.PipelineTask}] sidecar {name} could not start ({e.Message.ReplaceLineEndings(" ")}); a terminated sidecar does not hold the steps (as in Tekton).");
                continue;
            }
            _sidecars.Add((name, id, sidecar));
            _ = StreamLogsAsync(id, $"[{request.PipelineTask}/{name}]");
            settings.Log.Info($"[{request.PipelineTask}] sidecar {name} started in the pod's network.");
        }
    }

    /// <summary>Runs one step to its end; returns its exit code and whether its own timeout stopped it.</summary>
    private async Task<(long ExitCode, bool TimedOut)> RunStepAsync(
        TaskRunRequest request, PodLayout pod, string holder, object? step, int index, string name, List<string> env, CancellationToken cancellationToken)
    {
        var parameters = await ContainerAsync(request, pod, holder, step, $"/tekton/scripts/script-{index}", env, cancellationToken);
        var id = await CreateAsync(request, name, parameters, cancellationToken);
        // tasks.md "Specifying DisplayName": the step's user-facing name, said once before its output.
        if (Yaml.String(step, "displayName") is { } display) settings.Log.Info($"[{request.PipelineTask}/{name[5..]}] step \"{display}\"");
        using var stepTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (await StartStepAsync(request, id, name, cancellationToken) is { } startError) return (startError, false);
        // Tekton's entrypoint times the step's own command, so the clock starts once the container runs, not while the
        // engine creates and starts it (seconds on a busy machine).
        if (Quantities.Duration(Yaml.String(step, "timeout")) is { } limit) stepTimeout.CancelAfter(limit);
        var logs = StreamLogsAsync(id, $"[{request.PipelineTask}/{name[5..]}]");
        try
        {
            var exitCode = await settings.Engine.WaitContainerAsync(id, stepTimeout.Token);
            await logs;
            return (exitCode, false);
        }
        catch (OperationCanceledException) when (stepTimeout.IsCancellationRequested)
        {
            await LocalPipelineRunner.CleanUpAsync(() => settings.Engine.RemoveContainerAsync(id, CancellationToken.None), settings.Log);
            if (cancellationToken.IsCancellationRequested) throw;
            settings.Log.Info($"[{request.PipelineTask}/{name[5..]}] stopped: the step exceeded its timeout.");
            return (1, true);
        }
    }

    /// <summary>The container for a step or sidecar, as the pod spec describes it, in the holder's network.</summary>
    private async Task<ContainerSpec> ContainerAsync(
        TaskRunRequest request, PodLayout pod, string holder, object? container, string scriptPath, List<string> env, CancellationToken cancellationToken)
    {
        var (image, isRunner) = settings.Resolve(Yaml.String(container, "image") ?? throw new PipelineException($"Task {request.TaskName} has a container without an image."));
        var command = Yaml.Strings(container, "command").ToList();
        var args = Yaml.Strings(container, "args").ToList();
        IList<string>? entrypoint = null;
        IList<string>? cmd = null;
        if (Yaml.String(container, "script") is not null) { entrypoint = [scriptPath]; cmd = args; }
        else if (command.Count > 0) { entrypoint = command; cmd = args; }
        else if (args.Count > 0)
        {
            // Tekton: with no Entrypoint in the image, args are appended to Cmd (Docker would replace it).
            var config = await settings.Engine.InspectImageAsync(image, cancellationToken)
                ?? throw new ImageUnavailableException($"image {image} of {Yaml.String(container, "name")} is not on this engine and was not pulled");
            if (config.Entrypoint.Count == 0) { entrypoint = [.. config.Command, .. args]; cmd = []; }
            else cmd = args;
        }

        var variables = env.ToList();
        if (pod.Dind)
        {
            variables.RemoveAll(v => v.StartsWith("DOCKER_HOST=", StringComparison.Ordinal) || v.StartsWith("DOCKER_TLS_VERIFY=", StringComparison.Ordinal) || v.StartsWith("DOCKER_CERT_PATH=", StringComparison.Ordinal));
            variables.Add($"DOCKER_HOST={DockerHostForSteps}");
            // An engine reached over TLS (this run itself inside a Task with a dind sidecar): the steps speak it too, with
            // the same certificates, which the sidecar holds at the same path (the daemon resolves the bind mount).
            if (settings.DockerSocket is null && settings.Engine.Endpoint is { Tls: true, CertPath: { } certs })
            {
                variables.Add("DOCKER_TLS_VERIFY=1");
                variables.Add($"DOCKER_CERT_PATH={certs}");
            }
        }
        var known = variables.Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (isRunner) foreach (var (key, value) in settings.Runner.Environment) known.TryAdd(key, value);
        List<string>? Expand(IList<string>? items) => items?.Select(a => TektonVariables.Apply(a.Replace("$$", "\u0000"), known).Replace("\u0000", "$")).ToList();

        var binds = new List<string>();
        if (isRunner) binds.AddRange(settings.Runner.Binds);
        binds.Add(Volume(pod.Tekton, "/tekton"));
        binds.AddRange(MountsOf(request, pod, container));
        binds.AddRange(await settings.Volumes.HostPathMountsAsync(settings, cancellationToken));
        var groups = new List<string>();
        if (request.Pod.FsGroup is { } fsGroup) groups.Add(fsGroup.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (pod.Dind && settings.DockerSocket is null && settings.Engine.Endpoint is { Tls: true, CertPath: { } certPath })
            binds.Add($"{certPath}:{certPath}:ro");
        if (pod.Dind && settings.DockerSocket is { } socket)
        {
            binds.Add($"{socket}:{socket}");
            if (settings.DockerSocketGroup is { } socketGroup) groups.Add(socketGroup);
        }

        var security = Yaml.Map(container, "securityContext");
        var user = Yaml.String(security, "runAsUser");
        var group = Yaml.String(security, "runAsGroup");
        // The image's USER stands in for a runAsUser not given (a runAsGroup alone keeps it, as the kubelet does).
        var imageUser = user is null && (group is not null || Yaml.String(security, "runAsNonRoot") is "true" or "True")
            ? (await settings.Engine.InspectImageAsync(image, cancellationToken))?.User.Split(':')[0] ?? "" : null;
        if (Yaml.String(security, "runAsNonRoot") is "true" or "True" && (user ?? imageUser) is "" or "0" or "root")
            throw new ContainerConfigException($"container has runAsNonRoot and image will run as root ({Yaml.String(container, "name")})");
        var limits = Yaml.Map(Yaml.Map(container, "computeResources"), "limits");
        var capabilities = Yaml.Map(security, "capabilities");
        return new ContainerSpec(image)
        {
            Entrypoint = Expand(entrypoint),
            Command = Expand(cmd),
            Environment = known,
            WorkingDirectory = Yaml.String(container, "workingDir"),
            User = group is null ? user : $"{((user ?? imageUser) is { Length: > 0 } uid ? uid : "0")}:{group}",
            NetworkMode = $"container:{holder}",
            Binds = binds,
            GroupAdd = groups,
            Privileged = Yaml.String(security, "privileged") is "true" or "True",
            CapDrop = Yaml.Strings(capabilities, "drop").ToList(),
            CapAdd = Yaml.Strings(capabilities, "add").ToList(),
            SecurityOptions = Yaml.String(security, "allowPrivilegeEscalation") is "false" or "False" ? ["no-new-privileges"] : [],
            MemoryBytes = Quantities.Bytes(Yaml.String(limits, "memory")),
            NanoCpus = Quantities.NanoCpus(Yaml.String(limits, "cpu")),
        };
    }

    /// <summary>A named volume mounted as a PVC or emptyDir is: empty, never seeded from the image (nocopy keeps the root's owner root).</summary>
    private static string Volume(string volume, string path, bool readOnly = false) => $"{volume}:{path}:{(readOnly ? "ro," : "")}nocopy";

    /// <summary>Creates one container of the pod, named after the TaskRun and labelled with the run, and remembers it for removal.</summary>
    private async Task<string> CreateAsync(TaskRunRequest request, string name, ContainerSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            // The TaskRun's labels and annotations reach its pod (the run's own label wins: the cleanup finds the pod by it).
            var labels = request.Labels.Where(l => !settings.RunLabels.ContainsKey(l.Key)).Concat(settings.RunLabels).ToDictionary(l => l.Key, l => l.Value);
            var id = await settings.Engine.CreateContainerAsync(spec with { Name = $"{request.TaskRunName}-{name}", Labels = labels }, cancellationToken);
            _containers.Add(id);
            return id;
        }
        catch (DockerApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            throw new ImageUnavailableException($"image {spec.Image} of {name} is not on this engine and was not pulled");
        }
    }

    /// <summary>Streams a container's output line by line as [task/step] lines, secrets masked.</summary>
    private async Task StreamLogsAsync(string id, string prefix)
    {
        try
        {
            await settings.Engine.FollowContainerLogsAsync(id, line => settings.Log.Info($"{prefix} {settings.Masker.Apply(line)}"), CancellationToken.None);
        }
        // The container was removed under the stream (a timeout, the run's cleanup): its output ends there.
        catch (Exception e) when (e is PipelineException or IOException or ObjectDisposedException) { }
    }
}
