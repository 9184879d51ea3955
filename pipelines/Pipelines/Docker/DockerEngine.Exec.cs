using Docker.DotNet.Models;

namespace Pipelines.Docker;

internal sealed partial class DockerEngine
{
    /// <summary>
    /// Runs a command inside a running container (a Kubernetes exec probe) and returns its exit code, or null when it
    /// did not end within <paramref name="limit"/> (a probe's timeoutSeconds).
    /// </summary>
    public Task<long?> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan limit, CancellationToken cancellationToken = default) =>
        CallAsync<long?>($"Running {string.Join(' ', command)} in container {Short(id)}", async client =>
        {
            var exec = await client.Exec.CreateContainerExecAsync(id,
                new ContainerExecCreateParameters { Cmd = command.ToList(), AttachStdout = true, AttachStderr = true }, cancellationToken);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(limit);
            try
            {
                // The engine streams the command's output until it ends; read it to the end, then ask for the exit code.
                using var stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), attempt.Token);
                await stream.ReadOutputToEndAsync(attempt.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            return (await client.Exec.InspectContainerExecAsync(exec.ID, cancellationToken)).ExitCode;
        }, cancellationToken);

    /// <summary>Whether a container still runs, and its IP address on its (first) network, or null when it has none.</summary>
    public Task<(bool Running, string? Address)> InspectContainerStateAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"Inspecting container {Short(id)}", async client =>
        {
            var container = await client.Containers.InspectContainerAsync(id, cancellationToken);
            var address = container.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(a => !string.IsNullOrEmpty(a));
            return (container.State?.Running == true, address);
        }, cancellationToken);
}
