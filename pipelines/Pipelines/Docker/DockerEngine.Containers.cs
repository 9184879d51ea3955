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
            Name = spec.Name!,
            WorkingDir = spec.WorkingDirectory!,
            User = spec.User!,
            HostConfig = new HostConfig
            {
                // Published on loopback only, at a port the daemon picks.
                PortBindings = spec.PublishedPorts.ToDictionary(
                    p => $"{p}/tcp", _ => (IList<PortBinding>)[new PortBinding { HostIP = "127.0.0.1", HostPort = "0" }]),
                Binds = spec.Binds.ToList(),
                Mounts = spec.StrictBinds.Select(m => new Mount { Type = "bind", Source = m.Key, Target = m.Value }).ToList(),
                NetworkMode = spec.NetworkMode!,
                GroupAdd = spec.GroupAdd.ToList(),
                Privileged = spec.Privileged,
                CapAdd = spec.CapAdd.ToList(),
                CapDrop = spec.CapDrop.ToList(),
                SecurityOpt = spec.SecurityOptions.ToList(),
                Memory = spec.MemoryBytes ?? 0,
                NanoCPUs = spec.NanoCpus ?? 0,
            },
        };
        // A missing image is a 404 here (DockerApiException.Status): create does not pull.
        return CallAsync($"Creating a container from {spec.Image}",
            async client => (await client.Containers.CreateContainerAsync(parameters, cancellationToken)).ID, cancellationToken);
    }

    /// <summary>True when a create failed because a <see cref="ContainerSpec.StrictBinds"/> source does not exist on the daemon's host.</summary>
    public static bool IsMissingMountSource(Exception e) =>
        e is DockerApiException { Status: HttpStatusCode.BadRequest } api && api.DaemonMessage.Contains("bind source path does not exist", StringComparison.Ordinal);

    /// <summary>Starts a created container; no error when it already runs.</summary>
    public Task StartContainerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"Starting container {Short(id)}",
            client => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken), cancellationToken);

    /// <summary>Stops a container as the kubelet kills one: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken = default) =>
        CallAsync($"Stopping container {Short(id)}",
            client => client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds }, cancellationToken), cancellationToken);

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

    /// <summary>The IDs of the containers, running or not, that carry <paramref name="label"/> (<c>key=value</c>).</summary>
    public Task<IReadOnlyList<string>> ListContainersAsync(string label, CancellationToken cancellationToken = default) =>
        CallAsync<IReadOnlyList<string>>($"Listing the containers labelled {label}", async client =>
        {
            var found = await client.Containers.ListContainersAsync(
                new ContainersListParameters { All = true, Filters = LabelFilter(label) }, cancellationToken);
            return found.Select(c => c.ID).ToList();
        }, cancellationToken);

    /// <summary>Everything the container printed so far, split by stream.</summary>
    public Task<ContainerLogs> GetContainerLogsAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync($"Reading the logs of container {Short(id)}", async client =>
        {
            using var stream = await client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cancellationToken);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
            return new ContainerLogs(stdout, stderr);
        }, cancellationToken);

    /// <summary>
    /// Follows the output of a container started without a TTY (stdout and stderr, each split into lines) until the
    /// container stops; <paramref name="line"/> gets each line as it arrives, without its line ending.
    /// </summary>
    public Task FollowContainerLogsAsync(string id, Action<string> line, CancellationToken cancellationToken = default) =>
        CallAsync($"Following the logs of container {Short(id)}", async client =>
        {
            using var stream = await client.Containers.GetContainerLogsAsync(id,
                new ContainerLogsParameters { Follow = true, ShowStdout = true, ShowStderr = true }, cancellationToken);
            // One decoder and partial line per stream: a chunk may end inside a UTF-8 character or a line.
            var pending = new Dictionary<Engine.MultiplexedStream.TargetStream, (System.Text.Decoder Decoder, System.Text.StringBuilder Text)>();
            var buffer = new byte[8192];
            var chars = new char[System.Text.Encoding.UTF8.GetMaxCharCount(buffer.Length)];
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
                if (read.EOF) break;
                if (!pending.TryGetValue(read.Target, out var part))
                    pending[read.Target] = part = (System.Text.Encoding.UTF8.GetDecoder(), new System.Text.StringBuilder());
                part.Text.Append(chars, 0, part.Decoder.GetChars(buffer, 0, read.Count, chars, 0));
                var text = part.Text.ToString();
                var last = text.LastIndexOf('\n');
                if (last < 0) continue;
                foreach (var complete in text[..last].Split('\n')) line(complete.TrimEnd('\r'));
                part.Text.Clear().Append(text[(last + 1)..]);
            }
            foreach (var (_, part) in pending)
                if (part.Text.Length > 0) line(part.Text.ToString().TrimEnd('\r'));
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

    /// <summary>Extracts a tar into a path inside the container (a volume mounted there included).</summary>
    public Task PutContainerArchiveAsync(string id, string path, Stream tar, CancellationToken cancellationToken = default) =>
        CallAsync($"Copying into {path} of container {Short(id)}", client =>
            client.Containers.ExtractArchiveToContainerAsync(id, new CopyToContainerParameters { Path = path }, tar, cancellationToken), cancellationToken);

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
