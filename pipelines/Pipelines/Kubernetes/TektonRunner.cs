using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipelines.Logging;

namespace Pipelines.Kubernetes;

/// <summary>
/// Creates a PipelineRun, follows its TaskRuns to the end printing each task's status and step logs,
/// and reports the run's outcome. Cancellation or the timeout cancels the PipelineRun in the cluster.
/// </summary>
internal sealed class TektonRunner(KubernetesClient client, ILog log)
{

    /// <summary>Creates the PipelineRun, follows it to the end and reports how it finished.</summary>
    public async Task<TektonRunResult> RunAsync(TektonRunOptions options, CancellationToken cancellationToken)
    {
        var created = await client.CreateAsync(KubeResource.TektonPipelineRuns, options.Namespace, PipelineRun(options), cancellationToken);
        var name = created["metadata"]?["name"]?.GetValue<string>()
            ?? throw new PipelineException("The Kubernetes API created a PipelineRun but returned no name.");
        log.Info($"Created PipelineRun {options.Namespace}/{name}.");

        try
        {
            using var timeout = new CancellationTokenSource(options.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await FollowAsync(options, name, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                await CancelAsync(options.Namespace, name);
                throw new PipelineException($"PipelineRun {options.Namespace}/{name} did not finish within {Durations.Format(options.Timeout)}; it was cancelled.");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelAsync(options.Namespace, name);
            throw;
        }
    }

    private async Task<TektonRunResult> FollowAsync(TektonRunOptions options, string name, CancellationToken cancellationToken)
    {
        var taskStatuses = new Dictionary<string, string>();
        var logged = new HashSet<string>();
        while (true)
        {
            var run = await client.GetAsync(KubeResource.TektonPipelineRuns, options.Namespace, name, cancellationToken)
                ?? throw new PipelineException($"PipelineRun {options.Namespace}/{name} disappeared while running.");

            // Each TaskRun: print its status when it changes, and its step logs once it has ended.
            foreach (var child in (run["status"]?["childReferences"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (child["kind"]?.GetValue<string>() != "TaskRun") continue;
                var taskRunName = child["name"]!.GetValue<string>();
                var task = child["pipelineTaskName"]?.GetValue<string>() ?? taskRunName;
                var taskRun = await client.GetAsync(KubeResource.TektonTaskRuns, options.Namespace, taskRunName, cancellationToken);
                if (taskRun is null) continue;
                var succeeded = Succeeded(taskRun);
                var status = succeeded?.Reason ?? "Pending";
                if (taskStatuses.GetValueOrDefault(task) != status)
                {
                    taskStatuses[task] = status;
                    log.Write(succeeded?.IsFalse == true ? LogLevel.Error : LogLevel.Info, $"{task}: {status}{(succeeded?.IsFalse == true && succeeded.Message is { } m ? $" — {m}" : "")}");
                }
                if (options.StepLogs && succeeded is { Status: "True" or "False" } && logged.Add(task))
                    await PrintStepLogsAsync(options.Namespace, task, taskRun, cancellationToken);
            }

            // The run's own Succeeded condition decides the outcome.
            if (Succeeded(run) is { Status: "True" or "False" } outcome)
            {
                var result = new TektonRunResult(name, outcome.IsTrue, outcome.Reason ?? "", outcome.Message, taskStatuses);
                if (!result.Succeeded)
                    throw new PipelineException($"PipelineRun {options.Namespace}/{name} {outcome.Reason ?? "failed"}: {outcome.Message ?? "no message"}" +
                        (taskStatuses.Any(t => t.Value is not "Succeeded") ? $" (tasks: {string.Join(", ", taskStatuses.Select(t => $"{t.Key} {t.Value}"))})" : ""));
                log.Info($"PipelineRun {options.Namespace}/{name} succeeded.");
                return result;
            }
            await Task.Delay(options.PollInterval, cancellationToken);
        }
    }

    private async Task PrintStepLogsAsync(string @namespace, string task, JsonObject taskRun, CancellationToken cancellationToken)
    {
        if (taskRun["status"]?["podName"]?.GetValue<string>() is not { } pod) return;
        foreach (var step in (taskRun["status"]?["steps"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var container = step["container"]?.GetValue<string>() ?? $"step-{step["name"]?.GetValue<string>()}";
            var text = await client.ReadPodLogAsync(@namespace, pod, container, cancellationToken);
            if (text is null) continue;
            foreach (var line in text.TrimEnd('\n').Split('\n'))
                log.Info($"[{task}/{container}] {line}");
        }
    }

    /// <summary>Tekton's documented way to stop a run: <c>spec.status: Cancelled</c>.</summary>
    private async Task CancelAsync(string @namespace, string name)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["status"] = "Cancelled" } };
        try
        {
            await client.MergePatchAsync(KubeResource.TektonPipelineRuns, @namespace, name, patch, CancellationToken.None);
            log.Warn($"Cancelled PipelineRun {@namespace}/{name}.");
        }
        catch (PipelineException e)
        {
            log.Error($"Could not cancel PipelineRun {@namespace}/{name}: {e.Message}");
        }
    }

    /// <summary>
    /// The URL the cluster clones: it must be reachable from the cluster (not a local path) and carry no
    /// credentials, because PipelineRun params are readable by anyone who can read the namespace.
    /// </summary>
    public static string CloneUrl(string url)
    {
        // scp-like ssh (git@github.com:acme/app.git): a user name only, never a secret.
        if (System.Text.RegularExpressions.Regex.IsMatch(url, @"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/]")) return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile)
            throw new PipelineException($"The cluster cannot clone '{url}': pass --tekton-git-url with the repository's https or ssh URL.");
        if (uri.UserInfo.Contains(':') || (uri.Scheme is "http" or "https" && uri.UserInfo.Length > 0))
            throw new PipelineException("--tekton-git-url carries credentials; give the plain URL and let the cluster's git credentials (a Secret on the service account) authenticate.");
        return url;
    }

    private static Condition? Succeeded(JsonObject resource) =>
        (resource["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => c["type"]?.GetValue<string>() == "Succeeded")
            .Select(c => new Condition("Succeeded", c["status"]?.GetValue<string>() ?? "Unknown", c["reason"]?.GetValue<string>(), c["message"]?.GetValue<string>()))
            .FirstOrDefault();

    /// <summary>The given PipelineRun in the namespace, labelled as this toolkit's, its generateName kept.</summary>
    private static JsonObject PipelineRun(TektonRunOptions options)
    {
        var run = (JsonObject)options.PipelineRun.DeepClone();
        var metadata = run["metadata"] as JsonObject ?? new JsonObject();
        run["metadata"] = metadata;
        metadata["generateName"] ??= options.Pipeline + "-";
        metadata["namespace"] = options.Namespace;
        var labels = metadata["labels"] as JsonObject ?? new JsonObject();
        labels["app.kubernetes.io/managed-by"] = "gitops-pipeline";
        labels["tekton.dev/pipeline"] = options.Pipeline;
        metadata["labels"] = labels;
        return run;
    }
}
