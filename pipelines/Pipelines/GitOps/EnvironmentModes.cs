namespace Pipelines.GitOps;

/// <summary>Which environments deploy directly and which through a pull request: <c>dev=direct,prod=pull-request</c>.</summary>
internal sealed class EnvironmentModes
{
    private readonly Dictionary<string, DeployMode> _modes;

    private EnvironmentModes(Dictionary<string, DeployMode> modes) => _modes = modes;

    /// <summary>The environments that have an explicit mode.</summary>
    public IReadOnlyCollection<string> Environments => _modes.Keys;

    /// <summary>The mode of an environment; one that is not listed is refused, so a typo cannot deploy somewhere new.</summary>
    public DeployMode this[string environment] =>
        _modes.TryGetValue(environment, out var mode)
            ? mode
            : throw new PipelineException($"Unknown environment '{environment}'. Known: {string.Join(", ", _modes.Keys)}; add it to --environments as {environment}=direct or {environment}=pull-request.");

    /// <summary>Reads <c>environment=mode</c> entries, refusing unknown modes and repeated environments.</summary>
    public static EnvironmentModes Parse(IEnumerable<string> entries)
    {
        var modes = new Dictionary<string, DeployMode>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            var mode = parts.Length == 1 ? DeployMode.Direct : parts[1].ToLowerInvariant() switch
            {
                "direct" => DeployMode.Direct,
                "pull-request" or "pr" => DeployMode.PullRequest,
                _ => throw new PipelineException($"--environments '{entry}': the mode must be direct or pull-request."),
            };
            if (parts[0].Length == 0 || !parts[0].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new PipelineException($"--environments '{entry}': '{parts[0]}' is not an environment name (letters, digits, - and _).");
            modes[parts[0]] = mode;
        }
        if (modes.Count == 0) throw new PipelineException("--environments lists no environment; e.g. dev=direct,staging=direct,prod=pull-request.");
        return new EnvironmentModes(modes);
    }
}
