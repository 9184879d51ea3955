using System.Reflection;

namespace Pipelines.Targets;

/// <summary>The targets a build class declares, found through its <see cref="Target"/> properties.</summary>
internal sealed class TargetCatalog
{
    private TargetCatalog(IReadOnlyList<TargetDefinition> definitions, IReadOnlyList<TargetNode> nodes)
    {
        Definitions = definitions;
        Nodes = nodes;
    }

    /// <summary>In declaration order.</summary>
    public IReadOnlyList<TargetDefinition> Definitions { get; }
    /// <summary>The targets reduced to what the planner needs.</summary>
    public IReadOnlyList<TargetNode> Nodes { get; }

    /// <summary>The definition of a target by name.</summary>
    public TargetDefinition this[string name] =>
        Definitions.First(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds the build's <c>Target</c> properties and builds each definition.</summary>
    public static TargetCatalog Discover(object build)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var properties = build.GetType().GetProperties(flags)
            .Where(p => p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .ToList();

        // A target refers to another through its delegate; equal delegates (same method, same build) are the same target.
        var names = new Dictionary<Delegate, string>();
        var definitions = new List<TargetDefinition>();
        foreach (var property in properties)
        {
            var target = (Target)property.GetValue(build)!;
            names[target] = property.Name;
            var definition = new TargetDefinition(property.Name);
            target(definition);
            definitions.Add(definition);
        }

        var nodes = definitions.Select(d => new TargetNode(
            d.Name,
            d.DependencyTargets.Select(NameOf).ToList(),
            d.AfterTargets.Select(NameOf).ToList(),
            d.BeforeTargets.Select(NameOf).ToList())).ToList();
        return new TargetCatalog(definitions, nodes);

        string NameOf(Target target) =>
            names.TryGetValue(target, out var name)
                ? name
                : throw new InvalidOperationException("A target refers to a Target that is not a property of the build class.");
    }

    /// <summary>The property name of a <c>Target</c> a definition refers to.</summary>
    public string NameOf(object build, Target target)
    {
        foreach (var definition in Definitions)
        {
            var property = build.GetType().GetProperty(definition.Name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (property?.GetValue(build) is Delegate candidate && candidate.Equals(target)) return definition.Name;
        }
        throw new InvalidOperationException("The default target is not a property of the build class.");
    }
}
