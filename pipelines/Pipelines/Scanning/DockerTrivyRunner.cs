using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;

namespace Pipelines.Scanning;

/// <summary>
/// Runs Trivy's image through the Docker Engine API: pull it when the daemon lacks it, create a container
/// with the scan's arguments, environment and mounts, wait (bounded by the run's timeout), collect the logs
/// and always remove the container. Used only when no <c>trivy</c> binary is installed.
/// </summary>
internal sealed class DockerTrivyRunner(DockerEngine docker) : ITrivyContainerRunner
{
    /// <summary>Marks the containers this runner starts, so a cleanup can find leftovers.</summary>
    public const string Label = "local.pipelines.scan";

    /// <summary>True when a Docker engine answers, so the Trivy container fallback can run.</summary>
    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await docker.NegotiateAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is PipelineException or HttpRequestException or IOException)
        {
            return false;
        }
    }

    /// <summary>Runs Trivy in a container with the cache and output folders mounted, and returns its exit code and output.</summary>
    public async Task<TrivyContainerResult> RunAsync(TrivyContainerRun run, ILog log, CancellationToken cancellationToken)
    {
        await EnsureImageAsync(run.Image, log, cancellationToken);
        var id = await docker.CreateContainerAsync(new ContainerSpec(run.Image)
        {
            Command = run.Arguments,
            Environment = run.Environment.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!),
            Binds = run.Mounts.Select(m => $"{m.Key}:{m.Value}").ToList(),
            Labels = new Dictionary<string, string> { [Label] = "trivy" },
        }, cancellationToken);
        try
        {
            await docker.StartContainerAsync(id, cancellationToken);
            // The wait is raced against the timeout rather than cancelled: once the daemon has answered the
            // headers, DockerEngine reads the body without observing the token. Removing the container (below)
            // ends the wait either way.
            var wait = docker.WaitContainerAsync(id, cancellationToken);
            var finished = await Task.WhenAny(wait, Task.Delay(run.Timeout, cancellationToken));
            if (finished != wait)
            {
                _ = wait.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"Trivy's container did not finish within {run.Timeout}.");
            }
            var exitCode = await wait;

            var logs = await docker.GetContainerLogsAsync(id, cancellationToken);
            // Trivy logs on stderr; stdout carries the answer (the version JSON).
            foreach (var line in logs.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                log.Info(line.TrimEnd('\r'));
            return new TrivyContainerResult((int)exitCode, logs.StandardOutput, logs.StandardError);
        }
        finally
        {
            // Removed even after a timeout or cancellation; it holds the credentials in its environment.
            await docker.RemoveContainerAsync(id, CancellationToken.None);
        }
    }

    private async Task EnsureImageAsync(string image, ILog log, CancellationToken cancellationToken)
    {
        if (await docker.InspectImageAsync(image, cancellationToken) is not null) return;
        var reference = ImageReference.Parse(image);
        log.Info($"Pulling {image} to run Trivy.");
        try
        {
            await docker.PullImageAsync(reference.WithoutTagOrDigest().ToString(), reference.Digest ?? reference.Tag ?? "latest", cancellationToken: cancellationToken);
        }
        catch (PipelineException e)
        {
            throw new PipelineException($"Trivy is not installed and its image {image} could not be pulled ({e.Message}): {TrivyScanner.InstallHint}.", e);
        }
    }
}
