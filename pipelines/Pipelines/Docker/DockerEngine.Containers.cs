using System.Net;
using Docker.DotNet.Models;
using Engine = Docker.DotNet;

namespace Pipelines.Docker;

internal sealed partial class DockerEngine
{
    /// <summary>Creates a container from <paramref name="spec"/> and returns its ID.</summary>
    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var parameters = new CreateContainerParameters
        {
            Image = spec.Image,
            Env = spec.Environment.Select(p => $"{p.Key}={p.Value}").ToList(),
            Labels = spec.Labels.ToDictionary(),
            ExposedPorts = spec.PublishedPorts.ToDictionary(p => $"{p}/tcp", _ => default(EmptyStruct)),
            Cmd = spec.Command?.ToList()!,
            Entrypoint = spec.Entrypoint?.ToList()!,
            HostConfig = new HostConfig
            {
                // Published on loopback only, at a port the daemon picks.
                PortBindings = spec.PublishedPorts.ToDictionary(
                    p => $"{p}/tcp", _ => (IList<PortBinding>)[new PortBinding { HostIP = "127.0.0.1", HostPort = "0" }]),
                Binds = spec.Binds.ToList(),
            },
        };
        return CallAsync($"Creating a container from {spec.Image}",
            async client => (await client.Containers.CreateContainerAsync(parameters, cancellationToken)).ID, cancellationToken);
    }

    /// <summary>Starts a created container; no error when it already runs.</summary>
    public Task StartContainerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"Starting container {Short(id)}",
            client => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken), cancellationToken);

    /// <summary>Waits until the container stops and returns its exit code.</summary>
    public Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"Waiting for container {Short(id)}",
            async client => (await client.Containers.WaitContainerAsync(id, cancellationToken)).StatusCode, cancellationToken);

    /// <summary>The host port (on 127.0.0.1) the daemon published a container TCP port on.</summary>
    public async Task<int> InspectContainerPortAsync(string id, int containerPort, CancellationToken cancellationToken = default)
    {
        var container = await CallAsync($"Inspecting container {Short(id)}",
            client => client.Containers.InspectContainerAsync(id, cancellationToken), cancellationToken);
        if (container.NetworkSettings?.Ports is { } ports && ports.TryGetValue($"{containerPort}/tcp", out var bindings) && bindings is not null)
            foreach (var binding in bindings)
                if (int.TryParse(binding.HostPort, out var port)) return port;
        throw new PipelineException($"Container {Short(id)} has no published port for {containerPort}/tcp; is it running?");
    }

    /// <summary>Everything the container printed so far, split by stream.</summary>
    public Task<ContainerLogs> GetContainerLogsAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"Reading the logs of container {Short(id)}", async client =>
        {
            using var stream = await client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cancellationToken);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
            return new ContainerLogs(stdout, stderr);
        }, cancellationToken);

    /// <summary>A tar of a path inside the container; null when the path does not exist.</summary>
    public Task<Stream?> GetContainerArchiveAsync(string id, string path, CancellationToken cancellationToken = default) =>
        CallAsync<Stream?>($"Copying {path} out of container {Short(id)}", async client =>
        {
            ContainerArchiveResponse archive;
            try
            {
                archive = await client.Containers.GetArchiveFromContainerAsync(id, new ContainerPathStatParameters { Path = path }, statOnly: false, cancellationToken);
            }
            catch (Engine.DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            var content = new MemoryStream();
            if (archive.Stream is { } tar)
                await using (tar) await tar.CopyToAsync(content, cancellationToken);
            content.Position = 0;
            return content;
        }, cancellationToken);

    /// <summary>Stops (if needed) and removes a container with its anonymous volumes; no error when it is gone.</summary>
    public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"Removing container {Short(id)}", async client =>
        {
            try
            {
                await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
            }
            catch (Engine.DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }, cancellationToken);
}
