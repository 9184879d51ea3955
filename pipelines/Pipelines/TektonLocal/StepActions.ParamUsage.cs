using YamlDotNet.RepresentationModel;

namespace Pipelines.TektonLocal;

internal static partial class StepActions
{
    /// <summary>
    /// task_validation.go validateArrayUsage / validateObjectUsage: a whole array or object param (<c>$(params.a)</c>,
    /// <c>$(params.a[*])</c>) is a list, so it may only stand alone as an item of command or args (where it splices);
    /// in a text field (image, script, workingDir, an env value) Tekton refuses it, and inside a longer args item too.
    /// Items (<c>$(params.a[0])</c>) and keys (<c>$(params.o.key)</c>) are text and go anywhere.
    /// </summary>
    private static void CheckParamUsage(YamlMappingNode taskSpec, string path, string file, List<string> problems)
    {
        var whole = Child(taskSpec, "params") is YamlSequenceNode parameters
            ? parameters.Children.Where(IsArrayOrObject).Select(p => (Child(p, "name") as YamlScalarNode)?.Value ?? "").ToHashSet(StringComparer.Ordinal)
            : [];
        if (whole.Count == 0) return;
        bool Whole(string text) => TektonVariables.Names(text).Any(n => n.StartsWith("params.", StringComparison.Ordinal) && whole.Contains(n[7..].EndsWith("[*]", StringComparison.Ordinal) ? n[7..^3] : n[7..]));
        foreach (var containers in new[] { "steps", "sidecars" })
        {
            if (Child(taskSpec, containers) is not YamlSequenceNode list) continue;
            foreach (var (container, i) in list.Children.Select((c, i) => (c, i)))
            {
                var at = $"{path}.{containers}[{i}]";
                foreach (var field in new[] { "image", "script", "workingDir" })
                    if (Child(container, field) is YamlScalarNode { Value: { } text } node && Whole(text))
                        problems.Add($"{At(node, file)} {at}.{field}: variable type invalid in \"{text}\" (a whole array or object param is a list: use an item, $(params.name[0]) or $(params.name.key), or pass it as args)");
                if (Child(container, "env") is YamlSequenceNode env)
                    foreach (var (entry, j) in env.Children.Select((e, j) => (e, j)))
                        if (Child(entry, "value") is YamlScalarNode { Value: { } text } node && Whole(text))
                            problems.Add($"{At(node, file)} {at}.env[{j}].value: variable type invalid in \"{text}\" (a whole array or object param is a list: use an item, $(params.name[0]) or $(params.name.key))");
                foreach (var field in new[] { "command", "args" })
                    if (Child(container, field) is YamlSequenceNode items)
                        foreach (var (item, j) in items.Children.OfType<YamlScalarNode>().Select((n, j) => (n, j)))
                            if (item.Value is { } text && Whole(text) && !(text.Trim().StartsWith("$(", StringComparison.Ordinal) && text.Trim().EndsWith(')') && TektonVariables.Names(text).Count() == 1))
                                problems.Add($"{At(item, file)} {at}.{field}[{j}]: variable is not properly isolated in \"{text}\" (a whole array or object param must be an item of its own)");
            }
        }
    }

    /// <summary>An array or object param: by its type, or (no type) by its default, as Tekton's SetDefaults infers it.</summary>
    private static bool IsArrayOrObject(YamlNode param) =>
        (Child(param, "type") as YamlScalarNode)?.Value is "array" or "object"
        || Child(param, "type") is null && Child(param, "default") is YamlSequenceNode or YamlMappingNode;
}
