namespace Pipelines.Signing;

/// <summary>Annotations for the signature payload's <c>optional</c> map, as cosign's <c>-a key=value</c>.</summary>
internal static class SignatureAnnotations
{
    /// <summary>Reads <c>key=value</c> pairs; null when there are none. A malformed or repeated key names the parameter.</summary>
    public static IReadOnlyDictionary<string, string>? Parse(IReadOnlyList<string> pairs, string parameter = "--sign-annotations")
    {
        if (pairs.Count == 0) return null;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new PipelineException($"{parameter} '{pair}' is not key=value.");
            if (!annotations.TryAdd(pair[..equals], pair[(equals + 1)..]))
                throw new PipelineException($"{parameter} names '{pair[..equals]}' twice; give each key once.");
        }
        return annotations;
    }
}
