using System.Reflection;

namespace Pipelines.Targets;

/// <summary>
/// The targets a build declares: its own <see cref="Target"/> properties and those of the component interfaces it
/// implements (a component's target may be replaced by the build, which the interface dispatch then calls).
/// </summary>
internal sealed class TargetCatalog
{
    private TargetCatalog(IReadOnlyList<TargetDefinition> definitions, IReadOnlyList<TargetNode> nodes)
    {
        Definitions = definitions;
        Nodes = nodes;
    }

    /// <summary>Components' targets first, in the order their stages build on each other, then the build's own.</summary>
    public IReadOnlyList<TargetDefinition> Definitions { get; }
    /// <summary>The targets reduced to what the planner needs.</summary>
    public IReadOnlyList<TargetNode> Nodes { get; }

    /// <summary>The definition of a target by name.</summary>
    public TargetDefinition this[string name] =>
        Definitions.First(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds the build's targets and builds each definition.</summary>
    public static TargetCatalog Discover(object build)
    {
        var properties = TargetProperties(build.GetType());

        // A target refers to another through its delegate; equal delegates (same method, same build) are the same target.
        var names = new Dictionary<Delegate, string>();
        foreach (var property in properties)
            names.TryAdd((Target)property.GetValue(build)!, property.Name);
        var definitions = new List<TargetDefinition>();
        foreach (var property in properties)
        {
            var definition = new TargetDefinition(property.Name, property.DeclaringType!, build);
            ((Target)property.GetValue(build)!)(definition);
            definitions.Add(definition);
        }

        // DependentFor is DependsOn written on the other side: Lint.DependentFor(Containerize) is Containerize.DependsOn(Lint).
        var hooked = definitions
            .SelectMany(d => d.DependentForTargets.Select(t => (Target: NameOf(t), Dependency: d.Name)))
            .ToLookup(x => x.Target, x => x.Dependency);
        var nodes = definitions.Select(d => new TargetNode(
            d.Name,
            d.DependencyTargets.Select(NameOf).Concat(hooked[d.Name]).Distinct().ToList(),
            d.AfterTargets.Select(NameOf).ToList(),
            d.BeforeTargets.Select(NameOf).ToList())).ToList();
        var order = ReadingOrder(nodes);
        return new TargetCatalog([.. order.Select(n => definitions.First(d => d.Name == n.Name))], order);

        string NameOf(Target target) =>
            names.TryGetValue(target, out var name)
                ? name
                : throw new InvalidOperationException("A target refers to a Target that is neither a property of the build class nor of a component it implements.");
    }

    /// <summary>
    /// The order help lists targets in (and the planner breaks ties by): the pipeline first, each target after what it
    /// depends on (Test, Containerize, Scan, …), then the targets that stand alone, components' before the build's own.
    /// </summary>
    private static IReadOnlyList<TargetNode> ReadingOrder(IReadOnlyList<TargetNode> nodes)
    {
        var linked = nodes.Where(n => n.DependsOn.Count > 0 || nodes.Any(o => o.DependsOn.Contains(n.Name))).ToList();
        var ordered = new List<TargetNode>();
        while (ordered.Count < linked.Count)
        {
            // The first linked target whose dependencies are all listed; a cycle (reported by the planner) keeps its order.
            var next = linked.FirstOrDefault(n => !ordered.Contains(n) && n.DependsOn.All(d => ordered.Any(o => o.Name == d) || linked.All(l => l.Name != d)))
                ?? linked.First(n => !ordered.Contains(n));
            ordered.Add(next);
        }
        return [.. ordered, .. nodes.Where(n => !linked.Contains(n))];
    }

    /// <summary>The name of a target of the build (<c>x => x.Deploy</c>'s), without building any definition; null when it is none of the build's.</summary>
    public static string? NameOf(object build, Target target) =>
        TargetProperties(build.GetType()).FirstOrDefault(p => p.GetValue(build) is Delegate candidate && candidate.Equals(target))?.Name;

    /// <summary>
    /// The build's target properties, one per name: the class's own (which replace a component's of the same name), and
    /// each component's, ordered so that a stage comes after the components it builds on.
    /// </summary>
    private static IReadOnlyList<PropertyInfo> TargetProperties(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        // An explicit implementation (Target IContainerize.Containerize => …) is found through the interface, by its plain name.
        var own = buildType.GetProperties(flags)
            .Where(p => IsTarget(p) && !p.Name.Contains('.'))
            .OrderBy(p => p.MetadataToken)
            .ToList();
        var components = buildType.GetInterfaces()
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .SelectMany(i => i.GetProperties(flags | BindingFlags.DeclaredOnly).Where(IsTarget).OrderBy(p => p.MetadataToken))
            .ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        return components.Where(p => !own.Any(o => o.Name == p.Name)).Concat(own).Where(p => names.Add(p.Name)).ToList();

        static bool IsTarget(PropertyInfo p) => p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0 && p.GetMethod is { IsStatic: false };
    }
}
