using System.Reflection;
using Pipelines.Components;
using Pipelines.Targets;

namespace Pipelines.Tests.Components;

/// <summary>Every component's target reads as a member of a build class (<c>x => x.Deploy</c>) through ComponentTargets.</summary>
public sealed class ComponentTargetsTests
{
    [Fact]
    public void Every_component_target_has_its_forwarding_property()
    {
        var components = typeof(GitOpsBuild).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.IsPublic && t.Namespace == typeof(IServices).Namespace);
        var declared = components
            .SelectMany(c => c.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .Where(p => p.PropertyType == typeof(Target))
                .Select(p => (Component: c, p.Name)))
            .ToList();
        // An extension property compiles to a static get_<Name>(receiver) on the declaring class.
        var forwarded = typeof(ComponentTargets).GetMethods(BindingFlags.Static | BindingFlags.Public)
            .Where(m => m.Name.StartsWith("get_", StringComparison.Ordinal) && m.ReturnType == typeof(Target) && m.GetParameters().Length == 1)
            .Select(m => (Component: m.GetParameters()[0].ParameterType, Name: m.Name[4..]))
            .ToHashSet();

        Assert.NotEmpty(declared);
        Assert.Empty(declared.Where(d => !forwarded.Contains(d)).Select(d => $"{d.Component.Name}.{d.Name}"));
    }
}
