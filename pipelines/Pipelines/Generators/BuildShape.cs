using Pipelines.Targets;

namespace Pipelines.Generators;

/// <summary>
/// What a build class declares, read from its own metadata (<see cref="TargetCatalog"/> and
/// <see cref="ParameterDescriptor"/>) on a fresh instance, so the environment a run happens to bind
/// never leaks into generated files.
/// </summary>
internal sealed record BuildShape(IReadOnlyList<TargetShape> Targets, IReadOnlyList<ParameterShape> Parameters)
{
    /// <summary>Reads a build class; <paramref name="buildType"/> needs a parameterless constructor.</summary>
    public static BuildShape Of(Type buildType)
    {
        var build = Activator.CreateInstance(buildType, nonPublic: true)
            ?? throw new InvalidOperationException($"{buildType.Name} could not be created.");
        var catalog = TargetCatalog.Discover(build);
        var nodes = catalog.Nodes.ToDictionary(n => n.Name);
        var targets = catalog.Definitions
            .Select(d => new TargetShape(d.Name, d.DescriptionText, nodes[d.Name].DependsOn, d.Outputs.ToList()))
            .ToList();
        var parameters = ParameterDescriptor.Discover(buildType)
            .Select(p => new ParameterShape(p.MemberName, p.CliName, p.EnvironmentName, p.Description, p.IsSecret, p.TypeName, DefaultOf(p, build))
            {
                IsLocalOnly = p.IsLocalOnly,
                IsPerService = p.IsPerService,
            })
            .ToList();
        return new BuildShape(targets, parameters);
    }

    /// <summary>
    /// The parameters CI may set, as the parameters declare it: never a local-only one (TektonRun --local, RunnerImage,
    /// an override of the build's Services), and one that describes one service only in a build of one service.
    /// </summary>
    public BuildShape ForCi(bool severalServices) => this with
    {
        Parameters = Parameters.Where(p => !p.IsLocalOnly && !(severalServices && p.IsPerService)).ToList(),
    };

    /// <summary>
    /// The named targets and everything they depend on, dependencies first (the engine's own plan).
    /// Unknown names fail with the valid ones listed.
    /// </summary>
    public IReadOnlyList<TargetShape> Closure(IReadOnlyList<string> targets, string where)
    {
        if (targets.Count == 0) throw new PipelineException($"{where} names no target; add at least one, e.g. Targets = [\"{Targets.FirstOrDefault()?.Name}\"].");
        var nodes = Targets.Select(t => new TargetNode(t.Name, t.DependsOn)).ToList();
        ExecutionPlan plan;
        try { plan = ExecutionPlanner.Plan(nodes, new PlanRequest(targets), targets[0]); }
        catch (PlanException e) { throw new PipelineException($"{where}: {e.Message}"); }
        return plan.Names.Select(Target).ToList();
    }

    /// <summary>Looks up one target's shape by name, ignoring case as the command line does.</summary>
    public TargetShape Target(string name) =>
        Targets.First(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    private static string? DefaultOf(ParameterDescriptor parameter, object build)
    {
        if (parameter.IsSecret) return null;
        var value = parameter.GetValue(build);
        if (value is null or FileSystemInfo) return null;
        var text = ParameterConverter.Format(value);
        return text.Length == 0 ? null : text;
    }
}
