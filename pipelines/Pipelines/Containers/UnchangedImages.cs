using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipelines.Logging;
using Pipelines.Registry;
using Pipelines.Workspace;

namespace Pipelines.Containers;

/// <summary>
/// In a repository of several services, a commit that changes one of them should not rebuild, re-sign and redeploy the
/// others. For each service this keeps the last image it pushed and what it was built from, commit aside (the
/// <see cref="ContainerizeInputs"/> without the revision and tags). A later build with the same inputs reuses that image
/// as it is, while the registry still holds it: same digest, same tags, so its manifests stay untouched and Flux restarts
/// nothing. Its labels and tags keep naming the commit it was built from, which is the truth.
/// </summary>
/// <param name="directory">The folder of the entries: <see cref="Workspace.WorkspaceLayout.ImageCacheDirectory"/>.</param>
/// <param name="log">Where an unreadable entry, an entry that cannot be written and the reason for building again are reported.</param>
/// <param name="writeText">Writes a file's text (<see cref="File.WriteAllText(string, string?)"/>); a test injects a full disk.</param>
internal sealed class UnchangedImages(string directory, ILog log, Action<string, string>? writeText = null)
{
    private readonly Action<string, string> _writeText = writeText ?? File.WriteAllText;

    /// <summary>The entries of the inputs that name the commit rather than what the image is made of.</summary>
    private static readonly string[] RevisionEntries = ["tags", "revision"];

    /// <summary>What a service's image is made of, commit aside; null when the inputs may not be reused (no push, --no-cache, --pull, unknown publish inputs).</summary>
    public static string? KeyOf(Fingerprint inputs)
    {
        if (inputs.NotCacheableReason is not null) return null;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, hash) in inputs.Entries.Where(e => !RevisionEntries.Contains(e.Key)))
            sha.AppendData(Encoding.UTF8.GetBytes(name + "\0" + hash + "\n"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The image this service last pushed from the same inputs, when the registry still holds every tag of it at its digest; else null.</summary>
    public async Task<BuiltImage?> FindAsync(string service, string key, RegistryClient registry, CancellationToken cancellationToken)
    {
        var path = PathOf(service);
        if (!File.Exists(path)) return null;
        Entry? entry;
        try { entry = JsonSerializer.Deserialize<Entry>(await File.ReadAllTextAsync(path, cancellationToken), PipelineState.Json); }
        catch (Exception e) when (e is JsonException or IOException)
        {
            log.Warn($"Ignoring {path}: {e.Message}");
            return null;
        }
        if (entry is not { Image: { Digest: not null } image } || entry.Key != key) return null;
        if (await ContainerizeInputs.StillInRegistryAsync(image, registry, cancellationToken) is not { } reason) return image;
        log.Info($"{service}: {reason}; building again.");
        return null;
    }

    /// <summary>
    /// Remembers the image a service pushed from these inputs. The image is pushed already: a record that cannot be
    /// written (a full disk, a read-only cache) costs only a rebuild next time, so it is a warning, never a failure, and
    /// leaves neither a temporary file nor a half-written record behind (the earlier record stays as it was).
    /// </summary>
    public void Save(string service, string key, BuiltImage image)
    {
        if (image.Digest is null) return;
        var path = PathOf(service);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            Directory.CreateDirectory(directory);
            _writeText(temporary, JsonSerializer.Serialize(new Entry(key, image), PipelineState.Json));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { /* nothing more to do */ }
            log.Warn($"{service}: could not keep the record of its image in {path} ({e.Message}); the image is pushed, and the next build of unchanged inputs builds it again.");
        }
    }

    private string PathOf(string service) => Path.Combine(directory, service + ".json");

    private sealed record Entry(string Key, BuiltImage Image);
}
