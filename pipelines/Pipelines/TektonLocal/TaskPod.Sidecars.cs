using System.Globalization;
using System.Net.Sockets;
using Pipelines.Logging;

namespace Pipelines.TektonLocal;

/// <summary>
/// Tekton's await-sidecar-readiness (on by default): the first step starts only once every sidecar is Ready or has
/// terminated ([P] pkg/pod/status.go SidecarsReady: a terminated sidecar, whatever its exit code, holds nothing). A
/// sidecar is Ready as the kubelet says (pods/pod-lifecycle.md, "Container probes"): its startupProbe passes first, then
/// its readinessProbe, if any. A sidecar that never becomes ready keeps the steps waiting, so the TaskRun ends at its
/// timeout (TaskRunTimeout), as on a cluster.
/// </summary>
internal sealed partial class TaskPod
{
    private readonly List<(string Name, string Id, object? Spec)> _sidecars = [];

    private async Task WaitForSidecarsAsync(TaskRunRequest request, string holder, CancellationToken cancellationToken)
    {
        var waiting = _sidecars.Where(s => Yaml.Has(s.Spec, "readinessProbe") || Yaml.Has(s.Spec, "startupProbe")).ToList();
        if (waiting.Count == 0) return;
        // Probes reach the pod's network namespace, which the holder owns, at its address (kubelet: the pod IP).
        var address = settings.HostNetwork ? "127.0.0.1" : (await settings.Engine.InspectContainerStateAsync(holder, cancellationToken)).Address
            ?? throw new PipelineException($"The pod of {request.TaskRunName} has no network address to probe its sidecars at; check the engine's bridge network.");
        var said = new HashSet<string>();
        // The probe each sidecar is on: startupProbe until it passes once, then readinessProbe.
        var starting = waiting.Where(s => Yaml.Has(s.Spec, "startupProbe")).Select(s => s.Name).ToHashSet();
        IReadOnlyDictionary<string, object?> ProbeOf(string name, object? spec) => Yaml.Map(spec, starting.Contains(name) ? "startupProbe" : "readinessProbe");
        // Kubernetes readiness: Ready after successThreshold (default 1) consecutive successes; a failure ends the streak.
        // failureThreshold consecutive failures would only mark a Ready container not-ready again (a readiness probe never
        // restarts it), so before its streak completes a failure keeps it waiting whatever failureThreshold is. A startup
        // probe's failureThreshold (default 3) consecutive failures kill the container instead.
        var streak = waiting.ToDictionary(s => s.Name, _ => 0);
        var started = DateTimeOffset.UtcNow;
        var due = waiting.ToDictionary(s => s.Name, s => started + Seconds(ProbeOf(s.Name, s.Spec), "initialDelaySeconds", 0));
        // When the kubelet would probe next: probing more often than it does only starts the steps sooner, so a startup
        // failure counts toward failureThreshold only at the kubelet's cadence (periodSeconds, default 10), which gives
        // a sidecar the failureThreshold × periodSeconds to start that a cluster gives it.
        var counted = new Dictionary<string, DateTimeOffset>(due);
        while (waiting.Count > 0)
        {
            foreach (var sidecar in waiting.ToList())
            {
                if (!(await settings.Engine.InspectContainerStateAsync(sidecar.Id, cancellationToken)).Running)
                {
                    waiting.Remove(sidecar);
                    settings.Log.Info($"[{request.PipelineTask}] {sidecar.Name} ended before it was ready; a terminated sidecar does not hold the steps (as in Tekton).");
                    continue;
                }
                if (DateTimeOffset.UtcNow < due[sidecar.Name]) continue;
                var probe = ProbeOf(sidecar.Name, sidecar.Spec);
                // The kubelet probes every periodSeconds (default 10); without one, every second only starts the steps sooner.
                var now = DateTimeOffset.UtcNow;
                due[sidecar.Name] = now + Seconds(probe, "periodSeconds", 1);
                // Half a local period of slack: a timer may wake a little before the instant it was set for.
                var kubeletProbes = now + TimeSpan.FromMilliseconds(500) >= counted[sidecar.Name];
                if (kubeletProbes) counted[sidecar.Name] = now + Seconds(probe, "periodSeconds", 10);
                var passed = await ProbeAsync(sidecar.Id, address, probe, cancellationToken);
                if (starting.Contains(sidecar.Name))
                {
                    if (passed) streak[sidecar.Name] = 0; else if (kubeletProbes) streak[sidecar.Name]--;
                    if (passed && StartupPassed(request, sidecar, starting, due)) waiting.Remove(sidecar);
                    else if (!passed && -streak[sidecar.Name] >= Math.Max(1, Count(probe, "failureThreshold", 3)))
                    {
                        // restartPolicy Never (a TaskRun's pod): the killed sidecar stays terminated and holds nothing.
                        waiting.Remove(sidecar);
                        settings.Log.Info($"[{request.PipelineTask}] {sidecar.Name} failed its startupProbe {-streak[sidecar.Name]} time(s) in a row, periodSeconds apart: the kubelet kills it, and a terminated sidecar does not hold the steps (as in Tekton).");
                        await settings.Engine.StopContainerAsync(sidecar.Id, TimeSpan.FromSeconds(1), cancellationToken);
                    }
                    else if (!passed && said.Add(sidecar.Name))
                        settings.Log.Info($"[{request.PipelineTask}] {sidecar.Name} has not started yet: the steps wait for its startupProbe.");
                    continue;
                }
                streak[sidecar.Name] = passed ? streak[sidecar.Name] + 1 : 0;
                if (streak[sidecar.Name] >= Math.Max(1, Count(probe, "successThreshold", 1)))
                {
                    waiting.Remove(sidecar);
                    settings.Log.Info($"[{request.PipelineTask}] {sidecar.Name} is ready.");
                }
                else if (said.Add(sidecar.Name))
                    settings.Log.Info($"[{request.PipelineTask}] {sidecar.Name} is not ready yet: the steps wait for its readinessProbe (the TaskRun's timeout bounds the wait).");
            }
            if (waiting.Count > 0)
            {
                var next = waiting.Min(s => due[s.Name]) - DateTimeOffset.UtcNow;
                await Task.Delay(next > TimeSpan.Zero ? next : TimeSpan.Zero, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A sidecar's startupProbe passed (its successThreshold must be 1): it is Ready now when it has no readinessProbe
    /// (returns true), else its readiness probing starts after that probe's initialDelaySeconds.
    /// </summary>
    private bool StartupPassed(TaskRunRequest request, (string Name, string Id, object? Spec) sidecar, HashSet<string> starting, Dictionary<string, DateTimeOffset> due)
    {
        starting.Remove(sidecar.Name);
        var ready = !Yaml.Has(sidecar.Spec, "readinessProbe");
        settings.Log.Info($"[{request.PipelineTask}] {sidecar.Name} passed its startupProbe{(ready ? " and is ready" : "")}.");
        due[sidecar.Name] = DateTimeOffset.UtcNow + Seconds(Yaml.Map(sidecar.Spec, "readinessProbe"), "initialDelaySeconds", 0);
        return ready;
    }

    /// <summary>One probe, as the kubelet runs it: exec (exit 0), httpGet (status 200–399) or tcpSocket (connects), within timeoutSeconds (default 1).</summary>
    private async Task<bool> ProbeAsync(string sidecar, string address, IReadOnlyDictionary<string, object?> probe, CancellationToken cancellationToken)
    {
        var limit = Seconds(probe, "timeoutSeconds", 1);
        if (Yaml.Has(probe, "exec"))
        {
            try
            {
                return await settings.Engine.ExecAsync(sidecar, Yaml.Strings(Yaml.Map(probe, "exec"), "command").ToList(), limit, cancellationToken) == 0;
            }
            catch (Docker.DockerApiException)
            {
                // It ended between the state check and the exec (the next round sees it terminated), or the engine fails.
                if ((await settings.Engine.InspectContainerStateAsync(sidecar, cancellationToken)).Running) throw;
                return false;
            }
        }
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(limit);
        try
        {
            if (Yaml.Has(probe, "httpGet"))
            {
                var get = Yaml.Map(probe, "httpGet");
                var scheme = (Yaml.String(get, "scheme") ?? "HTTP").ToLowerInvariant();
                var path = Yaml.String(get, "path") ?? "/";
                using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }; // the kubelet does not verify either
                using var client = new HttpClient(handler);
                using var message = new HttpRequestMessage(HttpMethod.Get, $"{scheme}://{Yaml.String(get, "host") ?? address}:{Port(get)}{(path.StartsWith('/') ? "" : "/")}{path}");
                foreach (var header in Yaml.List(get, "httpHeaders")) message.Headers.TryAddWithoutValidation(Yaml.String(header, "name")!, Yaml.String(header, "value"));
                using var response = await client.SendAsync(message, attempt.Token);
                return (int)response.StatusCode is >= 200 and < 400;
            }
            var socket = Yaml.Map(probe, "tcpSocket");
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(Yaml.String(socket, "host") ?? address, Port(socket), attempt.Token);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int Port(IReadOnlyDictionary<string, object?> action) =>
        int.TryParse(Yaml.String(action, "port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port
            : throw new PipelineException($"A sidecar probe names port \"{Yaml.String(action, "port")}\"; the local runner probes numeric ports only: give the number.");

    private static TimeSpan Seconds(IReadOnlyDictionary<string, object?> probe, string key, int fallback) => TimeSpan.FromSeconds(Count(probe, key, fallback));

    private static int Count(IReadOnlyDictionary<string, object?> probe, string key, int fallback) =>
        int.TryParse(Yaml.String(probe, key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>
    /// Starts a step; a start the engine refuses (its command missing from the image, a bad entrypoint) is that step's
    /// failure, exit code 1 as Tekton's entrypoint gives when it cannot exec the command, with the engine's reason logged.
    /// </summary>
    private async Task<long?> StartStepAsync(TaskRunRequest request, string id, string name, CancellationToken cancellationToken)
    {
        try
        {
            await settings.Engine.StartContainerAsync(id, cancellationToken);
            return null;
        }
        catch (Docker.DockerApiException e)
        {
            settings.Log.Info($"[{request.PipelineTask}/{name[5..]}] could not start: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }
}
