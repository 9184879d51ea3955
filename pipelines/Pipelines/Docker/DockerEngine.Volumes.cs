using System.Net;
using Docker.DotNet.Models;
using Engine = Docker.DotNet;

namespace Pipelines.Docker;

internal sealed partial class DockerEngine
{
    /// <summary>Creates a named volume with <paramref name="labels"/> and returns its name.</summary>
    public Task<string> CreateVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default) =>
        CallAsync($"Creating volume {name}", async client =>
        {
            var volume = await client.Volumes.CreateAsync(new VolumesCreateParameters { Name = name, Labels = labels.ToDictionary() }, cancellationToken);
            return volume.Name;
        }, cancellationToken);

    /// <summary>
    /// Creates a volume that is a bind of <paramref name="device"/>, a folder on the daemon's host (the local driver's
    /// <c>type=none,o=bind</c>): how a sub-folder of another volume is mounted on an engine without volume-subpath (API &lt; 1.45).
    /// </summary>
    public Task<string> CreateBindVolumeAsync(string name, string device, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default) =>
        CallAsync($"Creating volume {name}", async client =>
        {
            var volume = await client.Volumes.CreateAsync(new VolumesCreateParameters
            {
                Name = name, Driver = "local", Labels = labels.ToDictionary(),
                DriverOpts = new Dictionary<string, string> { ["type"] = "none", ["o"] = "bind", ["device"] = device },
            }, cancellationToken);
            return volume.Name;
        }, cancellationToken);

    /// <summary>Where a volume's data lives on the daemon's host.</summary>
    public Task<string> VolumeMountpointAsync(string name, CancellationToken cancellationToken = default) =>
        CallAsync($"Inspecting volume {name}", async client => (await client.Volumes.InspectAsync(name, cancellationToken)).Mountpoint, cancellationToken);

    /// <summary>The names of the volumes that carry <paramref name="label"/> (<c>key=value</c>).</summary>
    public Task<IReadOnlyList<string>> ListVolumesAsync(string label, CancellationToken cancellationToken = default) =>
        CallAsync<IReadOnlyList<string>>($"Listing the volumes labelled {label}", async client =>
        {
            var found = await client.Volumes.ListAsync(new VolumesListParameters { Filters = LabelFilter(label) }, cancellationToken);
            return (found.Volumes ?? []).Select(v => v.Name).ToList();
        }, cancellationToken);

    /// <summary>Removes a volume (forced: a stopped container still naming it does not keep it); no error when it is gone.</summary>
    public Task RemoveVolumeAsync(string name, CancellationToken cancellationToken = default) =>
        CallAsync($"Removing volume {name}", async client =>
        {
            try
            {
                await client.Volumes.RemoveAsync(name, force: true, cancellationToken);
            }
            catch (Engine.DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }, cancellationToken);
}
