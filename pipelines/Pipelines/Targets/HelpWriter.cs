using System.Text;

namespace Pipelines.Targets;

/// <summary><c>--help</c> as text, or as the markdown tables the README carries (<c>--help --markdown</c>).</summary>
internal static class HelpWriter
{
    /// <summary>The <c>--help</c> text: usage, targets and parameters with their current defaults.</summary>
    public static string Text(TargetCatalog catalog, IReadOnlyList<ParameterDescriptor> parameters, object build, string defaultTarget)
    {
        var builder = new StringBuilder();
        builder.AppendLine("Usage: ./build.sh [Target…] [--parameter value…] [--skip [Target…]] [--plan] [--fresh] [--help] [--verbose]");
        builder.AppendLine();
        builder.AppendLine("Targets, each with its own parameters (command line, then environment variable, then default):");
        var width = catalog.Definitions.Max(d => d.Name.Length + (d.Name == defaultTarget ? 10 : 0));
        var owners = OwnersOf(catalog, parameters);
        foreach (var d in catalog.Definitions)
        {
            builder.AppendLine();
            var name = d.Name == defaultTarget ? d.Name + " (default)" : d.Name;
            builder.Append("  ").Append(name.PadRight(width)).Append("  ").AppendLine(d.DescriptionText ?? "");
            var node = catalog.Nodes.First(n => n.Name == d.Name);
            if (node.DependsOn.Count > 0)
                builder.Append("  ").Append(new string(' ', width)).Append("  depends on ").AppendLine(string.Join(", ", node.DependsOn));
            foreach (var p in parameters.Where(p => owners[p] == d.Name)) AppendParameter(p, "    ");
        }
        var shared = parameters.Where(p => owners[p] is null).ToList();
        if (shared.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine("Parameters several targets read:");
            foreach (var p in shared) AppendParameter(p, "  ");
        }
        builder.AppendLine();
        builder.AppendLine("Options:");
        builder.AppendLine("  --skip [Target…]  skip the named targets; with no names, every target not named on the command line");
        builder.AppendLine("  --plan            print the order targets would run in, and run nothing");
        builder.AppendLine("  --fresh           run targets whose inputs are unchanged instead of reusing their cached results (Analyze: judge a deploy again)");
        builder.AppendLine("  --verbose         show debug lines and stack traces");
        builder.AppendLine("  --host <name>     terminal, github or tekton (detected from the environment by default)");
        builder.AppendLine();
        builder.AppendLine($"Environment: a parameter binds only from its {ParameterDescriptor.EnvironmentPrefix}-prefixed variable (or the ecosystem name shown");
        builder.AppendLine("beside it), never from a generic name such as IMAGE or PUSH. Docker is reached through DOCKER_HOST and DOCKER_CONFIG, as the docker CLI does.");
        return builder.ToString();

        void AppendParameter(ParameterDescriptor p, string indent)
        {
            var value = p.Display(build);
            builder.Append(indent).Append("--").Append(p.CliName).Append(" <").Append(p.TypeName).Append(">")
                .Append("  [env ").Append(string.Join(", ", p.EnvironmentNames)).Append(']')
                .Append(p.IsSecret ? "  secret" : "")
                .AppendLine(value.Length > 0 && !p.IsSecret ? $"  default: {value}" : "");
            builder.Append(indent).Append("    ").AppendLine(p.Description);
        }
    }

    /// <summary>
    /// The target each parameter belongs to: the one target its component (or build class) declares; null for a parameter
    /// of a component with no target or several (the shared settings: services, registry, keys, manifests).
    /// </summary>
    internal static IReadOnlyDictionary<ParameterDescriptor, string?> OwnersOf(TargetCatalog catalog, IReadOnlyList<ParameterDescriptor> parameters) =>
        parameters.ToDictionary(p => p, p => catalog.Definitions.Where(d => d.DeclaringType == p.DeclaringType).Select(d => d.Name).ToList() is [var only] ? only : null);

    /// <summary>The same help as markdown tables, for the README.</summary>
    public static string Markdown(TargetCatalog catalog, IReadOnlyList<ParameterDescriptor> parameters, object build, string defaultTarget)
    {
        var builder = new StringBuilder();
        builder.AppendLine("| Target | Depends on | Outputs | Description |");
        builder.AppendLine("| --- | --- | --- | --- |");
        foreach (var d in catalog.Definitions)
        {
            var node = catalog.Nodes.First(n => n.Name == d.Name);
            var name = d.Name == defaultTarget ? $"`{d.Name}` (default)" : $"`{d.Name}`";
            builder.AppendLine($"| {name} | {string.Join(", ", node.DependsOn)} | {string.Join(", ", d.Outputs.Select(o => $"`{o}`"))} | {d.DescriptionText} |");
        }
        builder.AppendLine();
        builder.AppendLine("| Parameter | Environment | Type | Default | Description |");
        builder.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var p in parameters)
        {
            var value = p.IsSecret ? "*secret*" : p.Display(build);
            builder.AppendLine($"| `--{p.CliName}` | {string.Join(", ", p.EnvironmentNames.Select(n => $"`{n}`"))} | {p.TypeName.Replace("|", "\\|")} | {(value.Length == 0 ? "" : p.IsSecret ? value : $"`{value}`")} | {p.Description.Replace("|", "\\|")} |");
        }
        return builder.ToString();
    }
}
