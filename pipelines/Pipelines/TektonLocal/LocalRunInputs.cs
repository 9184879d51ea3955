using Pipelines.Logging;
using Pipelines.Signing;

namespace Pipelines.TektonLocal;

/// <summary>The inputs a local PipelineRun takes from the command line and the laptop: name=value lists and the development key.</summary>
internal sealed class LocalRunInputs(ILog log)
{
    /// <summary>name=value items as a dictionary; one clear message for an item without a name or '='.</summary>
    public static IReadOnlyDictionary<string, string> ParsePairs(IEnumerable<string> items, string option)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.Length > 0))
        {
            var equals = item.IndexOf('=');
            if (equals <= 0) throw new PipelineException($"{option} takes name=value items; \"{item}\" has no name or no '='.");
            pairs[item[..equals].Trim()] = item[(equals + 1)..];
        }
        return pairs;
    }

    /// <summary>Absolute paths of folders that must exist; one clear message naming the first that does not.</summary>
    public static IReadOnlyList<string> ExistingFolders(IEnumerable<string> folders, string option) =>
        folders.Where(f => f.Length > 0).Select(f => Directory.Exists(f) ? Path.GetFullPath(f)
            : throw new PipelineException($"{option}: the folder {f} does not exist; pass folders on this machine.")).ToList();

    /// <summary>The development key pair ./build.sh Sign uses on a laptop (made when missing), as PEM texts for the pod's secrets.</summary>
    public async Task<(string PrivateKeyPem, string PublicKeyPem)> DevelopmentKeyAsync(string directory, string password, CancellationToken cancellationToken)
    {
        var privatePath = Path.Combine(directory, CosignKeyPairWriter.PrivateKeyFile);
        var publicPath = Path.Combine(directory, CosignKeyPairWriter.PublicKeyFile);
        if (!File.Exists(privatePath)) await new CosignKeyPairWriter(log).WriteAsync(directory, password, cancellationToken);
        log.Warn($"The local PipelineRun signs with the development key {privatePath} (passed to the pod as the signing-key secret); it is for local use only.");
        return (await File.ReadAllTextAsync(privatePath, cancellationToken), await File.ReadAllTextAsync(publicPath, cancellationToken));
    }
}
