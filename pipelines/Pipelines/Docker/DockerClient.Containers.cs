using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Docker;

public sealed partial class DockerClient
{
    /// <summary>Creates a container from <paramref name="spec"/> and returns its ID.</summary>
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var exposed = new JsonObject();
        var bindings = new JsonObject();
        foreach (var port in spec.PublishedPorts)
        {
            exposed[$"{port}/tcp"] = new JsonObject();
            bindings[$"{port}/tcp"] = new JsonArray(new JsonObject { ["HostIp"] = "127.0.0.1", ["HostPort"] = "0" });
        }
        var body = new JsonObject
        {
            ["Image"] = spec.Image,
            ["Env"] = new JsonArray(spec.Environment.Select(p => (JsonNode)JsonValue.Create($"{p.Key}={p.Value}")).ToArray()),
            ["Labels"] = new JsonObject(spec.Labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["ExposedPorts"] = exposed,
            ["HostConfig"] = new JsonObject
            {
                ["PortBindings"] = bindings,
                ["Binds"] = new JsonArray(spec.Binds.Select(b => (JsonNode)JsonValue.Create(b)).ToArray()),
            },
        };
        if (spec.Command is { } command) body["Cmd"] = new JsonArray(command.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());
        if (spec.Entrypoint is { } entrypoint) body["Entrypoint"] = new JsonArray(entrypoint.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());

        using var response = await SendAsync(HttpMethod.Post, "containers/create", JsonContent.Create(body), $"Creating a container from {spec.Image}", cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return document.RootElement.GetProperty("Id").GetString()!;
    }

    /// <summary>Starts a created container; no error when it already runs.</summary>
    public async Task StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync(HttpMethod.Post, $"containers/{id}/start", null, $"Starting container {Short(id)}", cancellationToken);
    }

    /// <summary>Waits until the container stops and returns its exit code.</summary>
    public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/{id}/wait?condition=not-running", null, $"Waiting for container {Short(id)}", cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return document.RootElement.GetProperty("StatusCode").GetInt64();
    }

    /// <summary>The host port (on 127.0.0.1) the daemon published a container TCP port on.</summary>
    public async Task<int> InspectContainerPortAsync(string id, int containerPort, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{id}/json", null, $"Inspecting container {Short(id)}", cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var ports = document.RootElement.GetProperty("NetworkSettings").GetProperty("Ports");
        if (ports.TryGetProperty($"{containerPort}/tcp", out var bindings) && bindings.ValueKind == JsonValueKind.Array)
            foreach (var binding in bindings.EnumerateArray())
                if (int.TryParse(binding.GetProperty("HostPort").GetString(), out var port)) return port;
        throw new PipelineException($"Container {Short(id)} has no published port for {containerPort}/tcp; is it running?");
    }

    /// <summary>
    /// Everything the container printed so far. Without a TTY the daemon multiplexes the streams in frames:
    /// an 8-byte header (stream 1 = stdout, 2 = stderr; big-endian payload size) then the payload.
    /// </summary>
    public async Task<ContainerLogs> GetContainerLogsAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{id}/logs?stdout=1&stderr=1", null, $"Reading the logs of container {Short(id)}", cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var header = new byte[8];
        while (await ReadFullyAsync(stream, header, cancellationToken))
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var payload = new byte[size];
            if (!await ReadFullyAsync(stream, payload, cancellationToken)) break;
            (header[0] == 2 ? stderr : stdout).Append(Encoding.UTF8.GetString(payload));
        }
        return new ContainerLogs(stdout.ToString(), stderr.ToString());
    }

    /// <summary>A tar of a path inside the container (<c>GET /containers/{id}/archive</c>); null when the path does not exist.</summary>
    public async Task<Stream?> GetContainerArchiveAsync(string id, string path, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Get, $"containers/{id}/archive?path={Uri.EscapeDataString(path)}", null, $"Copying {path} out of container {Short(id)}", cancellationToken, allowNotFound: true);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }
        var content = new MemoryStream();
        using (response) await response.Content.CopyToAsync(content, cancellationToken);
        content.Position = 0;
        return content;
    }

    /// <summary>Stops (if needed) and removes a container with its anonymous volumes; no error when it is gone.</summary>
    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync(HttpMethod.Delete, $"containers/{id}?force=1&v=1", null, $"Removing container {Short(id)}", cancellationToken, allowNotFound: true);
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    private static async Task<bool> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (count == 0) return false;
            read += count;
        }
        return true;
    }
}
