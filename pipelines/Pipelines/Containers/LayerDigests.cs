using System.Text;
using System.Text.Json;
using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Containers;

/// <summary>
/// Which compressed blob each layer became when it was pushed to a registry, so that a warm push finds its blobs with a
/// few <c>HEAD</c>s and never exports the image: a compressed digest cannot be known without compressing, a diff ID is
/// known from the daemon's inspect. One file per registry, keyed by compression and diff ID; nothing in it names the
/// checkout, so a cache restored into another clone serves it too. A wrong entry costs nothing but an export: the
/// registry is asked whether it holds the blob before it is trusted.
/// </summary>
/// <param name="directory">The folder of the files: <see cref="WorkspaceLayout.LayerDigestDirectory"/>.</param>
/// <param name="log">Where an unreadable or unwritable file is reported (a warning: the push does not depend on it).</param>
internal sealed class LayerDigests(string directory, ILog log)
{
    /// <summary>The blob <paramref name="diffId"/> became in <paramref name="registry"/> under <paramref name="compression"/>, if remembered.</summary>
    public LayerBlob? Find(string registry, LayerCompression compression, string diffId) =>
        Read(registry).GetValueOrDefault(Key(compression, diffId));

    /// <summary>Remembers the blobs layers became; a failure to write is a warning and leaves no file behind.</summary>
    public void Remember(string registry, LayerCompression compression, IReadOnlyDictionary<string, LayerBlob> blobs)
    {
        if (blobs.Count == 0) return;
        var path = PathOf(registry);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            var entries = Read(registry);
            foreach (var (diffId, blob) in blobs) entries[Key(compression, diffId)] = blob;
            Directory.CreateDirectory(directory);
            File.WriteAllText(temporary, JsonSerializer.Serialize(entries, PipelineState.Json));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { /* nothing more to do */ }
            log.Warn($"Could not remember the pushed layers' digests in {path} ({e.Message}): the next push of these layers exports the image again.");
        }
    }

    private Dictionary<string, LayerBlob> Read(string registry)
    {
        var path = PathOf(registry);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, LayerBlob>>(File.ReadAllText(path), PipelineState.Json) ?? [];
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            log.Warn($"Ignoring {path}: {e.Message}");
            return [];
        }
    }

    private static string Key(LayerCompression compression, string diffId) => compression.ToString().ToLowerInvariant() + " " + diffId;

    /// <summary><c>&lt;host&gt;_&lt;port&gt;.json</c>: a registry address as a file name.</summary>
    private string PathOf(string registry)
    {
        var name = new StringBuilder();
        foreach (var c in registry) name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
        return Path.Combine(directory, name + ".json");
    }
}

/// <summary>A blob in a registry: its digest and size.</summary>
internal sealed record LayerBlob(string Digest, long Size);
