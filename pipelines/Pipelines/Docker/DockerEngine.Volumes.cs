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
