using System.Formats.Tar;
using System.Text;
using Docker.DotNet.Models;
using Pipelines.Containers;
using Pipelines.Logging;
using Pipelines.Oci;

namespace Pipelines.TektonLocal;

/// <summary>
/// One TaskRun as a "pod" on the local engine: an init container prepares /tekton (scripts, results) and applies
/// fsGroup to the workspaces, a holder container owns the network namespace, sidecars and then the steps join it
/// (<c>--network container:&lt;holder&gt;</c>), steps run one after another until one fails, results are read
/// from /tekton/results. Everything the pod created is removed before it returns.
/// </summary>
internal sealed partial class TaskPod(PodSettings settings)
{
    /// <summary>Tekton's limit on a step's termination message, which carries the results.</summary>
    public const int MaxResultBytes = 4096;

    /// <summary>
    /// The variable every step of a local run gets, naming the runner image put in place of the generated one; the
    /// local run owns it because it sets it (<c>Hosts.TektonHost.LocalRunner</c> reads it in the step).
    /// </summary>
    public const string LocalRunnerVariable = "PIPELINE_TEKTON_LOCAL_RUNNER";

    private readonly List<string> _containers = [];
    private readonly List<string> _volumes = [];

    public async Task<TaskRunOutcome> RunAsync(TaskRunRequest request, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var spec = request.Spec;
        TaskRunOutcome Outcome(string status, string reason, string message, IReadOnlyDictionary<string, string>? results = null) =>
            new(request.PipelineTask, request.TaskRunName, status, reason, message, DateTimeOffset.UtcNow - started, results ?? new Dictionary<string, string>(), request.IsFinally);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var steps = Yaml.List(spec, "steps");
        var stepNames = steps.Select(StepName).ToList();
        var results = new Dictionary<string, string>();
        try
        {
            var environments = new List<List<string>>();
            foreach (var step in steps)
            {
                var env = ResolveEnvironment(step, out var configError);
                env.Add($"{LocalRunnerVariable}={settings.Runner.Image}");
                if (configError is not null) return Outcome("Failed", "CreateContainerConfigError", $"Failed to create pod due to config error: {configError}");
                environments.Add(env);
            }
            var tekton = await settings.Engine.CreateVolumeAsync($"{request.TaskRunName}-tekton", settings.RunLabels, cancellationToken);
            _volumes.Add(tekton);
            var (emptyDirs, readOnlyVolumes) = await CreateTaskVolumesAsync(request, cancellationToken);
            var pod = new PodLayout(tekton, emptyDirs, request.Workspaces, HasDind(spec))
            {
                ImplicitWorkspace = await CreateImplicitWorkspaceAsync(request, cancellationToken), ReadOnlyVolumes = readOnlyVolumes,
                RunDirs = await CreateRunDirsAsync(request, steps.Count, cancellationToken),
            };
            // A dind sidecar shares the pod's network: a registry or Prometheus a step starts on 127.0.0.1 is the daemon's
            // localhost too. The host's engine sees the host's network, so that holds only with the pod on it.
            if (pod.Dind) settings.Log.Info($"[{request.PipelineTask}] the Docker-in-Docker sidecar is served by the local engine ({settings.DockerSocket ?? "DOCKER_HOST"}): steps get DOCKER_HOST={DockerHostForSteps}" +
                (settings.HostNetwork ? "; the pod is on the host's network, so what a step serves on 127.0.0.1 the daemon reaches at localhost, as a sidecar sharing the pod's network would." : "."));

            await InitializeAsync(request, pod, steps, cancellationToken);
            pod = pod with { Steps = await settings.Volumes.SubPathAsync(settings, tekton, "steps", cancellationToken) };
            var stepResultMounts = await StepResultMountsAsync(tekton, steps, cancellationToken);
            var holder = await StartHolderAsync(request, pod, cancellationToken);
            // The TaskRun's clock starts with its pod: the local init and pause containers, which a kubelet starts in
            // well under a second, are not charged to it (on a loaded engine they would eat a short timeout).
            if (request.Timeout is { } limit && limit > TimeSpan.Zero) timeout.CancelAfter(limit);
            await StartSidecarsAsync(request, pod, holder, cancellationToken);
            await WaitForSidecarsAsync(request, holder, timeout.Token);

            for (var i = 0; i < steps.Count; i++)
            {
                var stepPod = pod with { OwnStepResults = stepResultMounts.TryGetValue(stepNames[i], out var own) ? own : null, StepIndex = i };
                var (exitCode, timedOut) = await RunStepAsync(request, stepPod, holder, WithStepResults(steps[i]), i, stepNames[i], WithStepResults(environments[i]), timeout.Token);
                if (timedOut && !timeout.IsCancellationRequested)
                {
                    SkipLater(request, stepNames, i);
                    return Outcome("Failed", "TaskRunTimeout", $"\"{stepNames[i]}\" exited because the step exceeded the specified timeout limit", await ReadResultsAsync(holder));
                }
                // tasks.md#specifying-onerror-for-a-step: with continue the real code is recorded and the next step runs.
                var continues = exitCode != 0 && Yaml.String(steps[i], "onError") == "continue";
                await WriteExitCodeAsync(holder, stepNames[i], i, exitCode);
                if (continues) settings.Log.Info($"[{request.PipelineTask}/{stepNames[i][5..]}] exited with code {exitCode}; onError: continue, so the task goes on.");
                if (exitCode != 0 && !continues)
                {
                    SkipLater(request, stepNames, i);
                    return Outcome("Failed", "StepFailed", $"\"{stepNames[i]}\" exited with code {exitCode}", await ReadResultsAsync(holder));
                }
                // The results ride in each step's termination message: the step that makes them too large fails, as its entrypoint does.
                results = await ReadResultsAsync(holder);
                // Tekton's entrypoint puts the step's own results in the same message (pod/entrypoint.go, StepResultType).
                var stepResults = await ReadStepResultsAsync(holder, steps[i], i);
                if (ResultBytes(results.Select(r => (r.Key, r.Value, 1)).Concat(stepResults.Select(r => (r.Key, r.Value, 4)))) > MaxResultBytes)
                {
                    SkipLater(request, stepNames, i);
                    return Outcome("Failed", "StepFailed", $"\"{stepNames[i]}\" exited with code 1: Termination message is above max allowed size {MaxResultBytes}, caused by large task result.");
                }
            }
            return Outcome("Succeeded", "Succeeded", "All Steps have completed executing", WithTaskResultsFromSteps(spec, results));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            return Outcome("Failed", "TaskRunTimeout", $"TaskRun \"{request.TaskRunName}\" failed to finish within \"{Quantities.Format(request.Timeout!.Value)}\"");
        }
        catch (OperationCanceledException) when (request.Cancelled?.Invoke() is { } why)
        {
            return Outcome("Failed", "TaskRunCancelled", why);
        }
        catch (ContainerConfigException e)
        {
            return Outcome("Failed", "CreateContainerConfigError", $"Failed to create pod due to config error: {e.Message}");
        }
        catch (ImageUnavailableException e)
        {
            return Outcome("Failed", "TaskRunImagePullFailed", e.Message);
        }
        finally
        {
            foreach (var container in Enumerable.Reverse(_containers))
                await LocalPipelineRunner.CleanUpAsync(() => settings.Engine.RemoveContainerAsync(container, CancellationToken.None), settings.Log);
            foreach (var volume in _volumes)
                await LocalPipelineRunner.CleanUpAsync(() => settings.Engine.RemoveVolumeAsync(volume, CancellationToken.None), settings.Log);
        }
    }

    /// <summary>A step's container name: <c>step-&lt;name&gt;</c>, or <c>step-unnamed-&lt;i&gt;</c>.</summary>
    internal static string StepName(object? step, int index) => $"step-{Yaml.String(step, "name") ?? $"unnamed-{index}"}";

    private void SkipLater(TaskRunRequest request, IReadOnlyList<string> stepNames, int failed)
    {
        for (var j = failed + 1; j < stepNames.Count; j++) settings.Log.Info($"[{request.PipelineTask}/{stepNames[j][5..]}] skipped: a previous step failed.");
    }

    /// <summary>The termination message's size: its results as the entrypoint writes them (type 1 a Task result, 4 a step result).</summary>
    private static int ResultBytes(IEnumerable<(string Key, string Value, int Type)> results) =>
        Encoding.UTF8.GetByteCount(System.Text.Json.JsonSerializer.Serialize(results.Select(r => new { key = r.Key, value = r.Value, type = r.Type })));

    /// <summary>
    /// The entrypoint's exitCode file, which <c>$(steps.step-x.exitCode.path)</c> names, written through the holder under
    /// both names step-init gives a step's folder: <c>/tekton/steps/step-&lt;name&gt;</c> and <c>/tekton/steps/&lt;index&gt;</c>.
    /// </summary>
    private async Task WriteExitCodeAsync(string holder, string stepName, int index, long exitCode)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var folder in new[] { stepName, index.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, $"{folder}/") { Mode = (UnixFileMode)0b111_101_101 });
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, $"{folder}/exitCode")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                    Mode = (UnixFileMode)0b110_100_100,
                });
            }
        tar.Position = 0;
        await settings.Engine.PutContainerArchiveAsync(holder, "/tekton/steps", tar, CancellationToken.None);
    }

    /// <summary>The files in /tekton/results (or a step's results folder), read through the holder (which mounts /tekton) with the archive API.</summary>
    private async Task<Dictionary<string, string>> ReadResultsAsync(string holder, string folder = "/tekton/results")
    {
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var archive = await settings.Engine.GetContainerArchiveAsync(holder, folder, CancellationToken.None) ?? Stream.Null;
        using var reader = new TarReader(archive);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            // An empty file is a result with an empty value, as Tekton's entrypoint reads it (a tar entry of no bytes has no stream).
            if (entry.DataStream is null)
            {
                results[Path.GetFileName(entry.Name)] = "";
                continue;
            }
            using var text = new StreamReader(entry.DataStream, Encoding.UTF8);
            results[Path.GetFileName(entry.Name)] = await text.ReadToEndAsync();
        }
        return results;
    }

    private static bool HasDind(object? spec) => Yaml.List(spec, "sidecars").Any(IsDind);

    /// <summary>The Docker-in-Docker sidecar: a privileged docker:*dind image.</summary>
    internal static bool IsDind(object? sidecar)
    {
        // A digest pin (docker:27.5.1-dind@sha256:…) keeps its tag; a mirror (mirror.gcr.io/library/docker) is still docker.
        if (!ImageReference.TryParse(Yaml.String(sidecar, "image"), out var reference, out _)) return false;
        var repository = reference!.Repository;
        return (repository == "docker" || repository.EndsWith("/docker", StringComparison.Ordinal)) && reference.Tag?.Contains("dind", StringComparison.Ordinal) == true;
    }

    private string DockerHostForSteps => settings.DockerSocket is { } socket ? $"unix://{socket}" : settings.Engine.Endpoint.Host;

    /// <summary>
    /// A container's env, secret and ConfigMap keys looked up locally. A step arrives merged over the stepTemplate
    /// (<see cref="PipelineSchedule.WithStepTemplate"/>: env by name, a step's own envFrom list replacing the template's).
    /// </summary>
    private List<string> ResolveEnvironment(object? step, out string? error)
    {
        error = null;
        var merged = new Dictionary<string, string?>(StringComparer.Ordinal);
        // envFrom first: an env entry of the same name wins, as in Kubernetes.
        foreach (var from in Yaml.List(step, "envFrom"))
        {
            var config = Yaml.Map(from, "configMapRef");
            var secret = Yaml.Map(from, "secretRef");
            var source = Yaml.String(config.Count > 0 ? config : secret, "name") ?? "";
            var optional = Yaml.String(config.Count > 0 ? config : secret, "optional") is "true" or "True";
            var prefix = Yaml.String(from, "prefix") ?? "";
            if (config.Count > 0)
            {
                if (settings.Rendered.ConfigMap(source) is { } data)
                    foreach (var (key, value) in data) merged[prefix + key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                else if (!optional) { error = $"configmap \"{source}\" not found in the rendered tekton/"; return []; }
            }
            else if (secret.Count > 0)
            {
                // Every key of the Secret, looked up as secretKeyRef looks one up; values are masked in every log line.
                if (settings.Secrets.Keys(source) is { } keys)
                    foreach (var key in keys)
                    {
                        var value = settings.Secrets.Find(source, key) ?? "";
                        settings.Masker.Add(value);
                        merged[prefix + key] = value;
                    }
                else if (!optional) { error = $"secret \"{source}\" not found: add the Secret to the run file or --tekton-resources, or {source}/KEY=value lines to the secrets file (--tekton-secrets)"; return []; }
            }
        }
        foreach (var entry in Yaml.List(step, "env"))
        {
            var name = Yaml.String(entry, "name")!;
            if (Yaml.Has(entry, "valueFrom"))
            {
                var from = Yaml.Map(entry, "valueFrom");
                var secret = Yaml.Map(from, "secretKeyRef");
                var config = Yaml.Map(from, "configMapKeyRef");
                var reference = secret.Count > 0 ? secret : config;
                var source = Yaml.String(reference, "name") ?? "";
                var key = Yaml.String(reference, "key") ?? "";
                var optional = Yaml.String(reference, "optional") is "true" or "True";
                string? value;
                if (secret.Count > 0)
                {
                    value = settings.Secrets.Find(source, key);
                    if (value is not null) settings.Masker.Add(value);
                }
                else value = settings.Rendered.ConfigMap(source) is { } data && data.TryGetValue(key, out var v) ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
                if (value is null && !optional)
                {
                    error = secret.Count > 0
                        ? $"secret \"{source}\" key \"{key}\" not found: put {key}=… in the secrets file (--tekton-secrets) or the environment"
                        : $"configmap \"{source}\" key \"{key}\" not found in the rendered tekton/";
                    return [];
                }
                if (value is null) merged.Remove(name); else merged[name] = value;
            }
            else merged[name] = Yaml.String(entry, "value") ?? "";
        }
        return merged.Where(p => p.Value is not null).Select(p => $"{p.Key}={p.Value}").ToList();
    }
}
