using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Workspace;

/// <summary>
/// A cached target's last success as the cache recorded it: when, with which inputs, and what it published.
/// <c>.CachedWhile(…)</c> checks receive it to decide whether its outputs still hold (tags still at the digest,
/// the signature still in the registry).
/// </summary>
/// <param name="Target">The target's name.</param>
/// <param name="Fingerprint">The hash of the inputs it ran with.</param>
/// <param name="SucceededAt">When it finished successfully.</param>
/// <param name="Inputs">Each input's name and content hash.</param>
/// <param name="Outputs">The outputs it published (<c>IMAGE_URL</c>, <c>SCAN_PASSED</c>, …).</param>
/// <param name="Records">The state records it wrote, as JSON.</param>
/// <param name="Notes">The notes it added to the summary.</param>
/// <param name="Files">The output files and folders it wrote (relative to the root), kept in the cache.</param>
public sealed record CachedRun(
    string Target,
    string Fingerprint,
    DateTimeOffset SucceededAt,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, JsonNode?> Records,
    IReadOnlyList<KeyValuePair<string, string>> Notes,
    IReadOnlyList<string> Files)
{
    /// <summary>The SHA-256 of each kept output file when it was kept (path relative to the kept folder), checked before a restore.</summary>
    internal IReadOnlyDictionary<string, string> FileHashes { get; init; } = new Dictionary<string, string>();

    /// <summary>A state record the run wrote, typed; null when it wrote none under that key.</summary>
    public T? Record<T>(string key) where T : class =>
        Records.TryGetValue(key, out var node) && node is not null ? node.Deserialize<T>(PipelineState.Json) : null;

    /// <summary>An output the run published; null when it published none by that name.</summary>
    public string? Output(string name) => Outputs.TryGetValue(name, out var value) ? value : null;
}
