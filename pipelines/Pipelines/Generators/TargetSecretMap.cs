namespace Pipelines.Generators;

/// <summary>
/// Which secret parameters each target reads (<see cref="CiConfiguration.TargetSecrets"/>), checked against the
/// build: a Tekton Task and a GitHub job get the secrets of the targets they run and nothing else.
/// </summary>
internal sealed class TargetSecretMap
{
    private readonly BuildShape _build;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _map;

    private TargetSecretMap(BuildShape build, IReadOnlyDictionary<string, IReadOnlyList<string>> map)
    {
        _build = build;
        _map = map;
    }

    /// <summary>Validates the configuration's map against the build's targets and secret parameters.</summary>
    public static TargetSecretMap For(BuildShape build, CiConfiguration configuration)
    {
        var secrets = build.Parameters.Where(p => p.IsSecret).ToList();
        foreach (var (target, names) in configuration.TargetSecrets)
        {
            if (!build.Targets.Any(t => t.Name.Equals(target, StringComparison.OrdinalIgnoreCase)))
                throw new PipelineException($"TargetSecrets in {CiConfiguration.Where} names target {target}, which the build does not declare; valid: {string.Join(", ", build.Targets.Select(t => t.Name))}.");
            foreach (var name in names)
                if (!secrets.Any(p => p.MemberName == name))
                    throw new PipelineException($"TargetSecrets in {CiConfiguration.Where} gives {target} the secret {name}, which is not a [Secret] parameter; valid: {string.Join(", ", secrets.Select(p => p.MemberName))}.");
        }
        return new TargetSecretMap(build, configuration.TargetSecrets);
    }

    /// <summary>The secret parameters the given targets read, in the build's parameter order.</summary>
    public IReadOnlyList<ParameterShape> Of(IEnumerable<string> targets)
    {
        var names = targets
            .SelectMany(t => _map.FirstOrDefault(e => e.Key.Equals(t, StringComparison.OrdinalIgnoreCase)).Value ?? [])
            .ToHashSet(StringComparer.Ordinal);
        return _build.Parameters.Where(p => p.IsSecret && names.Contains(p.MemberName)).ToList();
    }
}
