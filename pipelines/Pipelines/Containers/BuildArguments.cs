namespace Pipelines.Containers;

/// <summary>Build arguments given as <c>name=value</c> strings (<c>--build-args</c>).</summary>
internal static class BuildArguments
{
    /// <summary>Parses <c>name=value</c> pairs; the value may contain <c>=</c>, a later name overrides an earlier one.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> pairs)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
                throw new PipelineException($"--build-args '{pair}' is not name=value: write e.g. --build-args VERSION=1.2 CONFIGURATION=Release.");
            arguments[pair[..equals].Trim()] = pair[(equals + 1)..];
        }
        return arguments;
    }
}
