using YamlDotNet.RepresentationModel;

namespace Pipelines.TektonLocal;

internal static partial class StepActions
{
    /// <summary>A step's fields the StepAction it references gives; container_validation.go refuses them beside <c>ref</c>.</summary>
    private static readonly string[] ActionOwned = ["image", "command", "args", "script", "workingDir", "env", "volumeMounts", "results"];

    /// <summary>
    /// What Tekton's admission webhook refuses about steps and StepActions in these files, as "file:line:column path:
    /// message"; one message listing all, or nothing. <see cref="SupportedFields"/> has already checked the keys.
    /// </summary>
    public static void Validate(IEnumerable<string> files)
    {
        var problems = files.SelectMany(f => FindInvalid(File.ReadAllText(f), f)).ToList();
        if (problems.Count > 0)
            throw new PipelineException($"Tekton's validation refuses {problems.Count} step field(s) here (a cluster would answer \"admission webhook denied the request: validation failed\"), so nothing was started:\n  {string.Join("\n  ", problems)}");
    }

    /// <summary>The refused step and StepAction fields of every Tekton object in this YAML text.</summary>
    public static IReadOnlyList<string> FindInvalid(string yaml, string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var problems = new List<string>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root || Child(root, "kind") is not YamlScalarNode { Value: { } kind }) continue;
            if (kind == "StepAction" && Child(root, "spec") is YamlMappingNode spec) CheckStepAction(spec, file, problems);
            else if (kind == "Task" && Child(root, "spec") is { } taskSpec) FindSteps(taskSpec, "spec", true, file, problems);
            else if (kind is "TaskRun" or "Pipeline" or "PipelineRun") FindSteps(root, "", false, file, problems);
            if (kind == "PipelineRun") TaskRunSpecs.FindInvalidNames(root, file, problems);
        }
        return problems;
    }

    /// <summary>Walks to every Task spec (a Task's <c>spec</c>, any <c>taskSpec</c>) and checks its steps.</summary>
    private static void FindSteps(YamlNode node, string path, bool isTaskSpec, string file, List<string> problems)
    {
        if (node is YamlSequenceNode sequence)
        {
            var index = 0;
            foreach (var item in sequence.Children) FindSteps(item, $"{path}[{index++}]", false, file, problems);
            return;
        }
        if (node is not YamlMappingNode map) return;
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            var field = path.Length == 0 ? name : $"{path}.{name}";
            if (isTaskSpec && name == "steps" && value is YamlSequenceNode steps)
            {
                CheckParamUsage(map, path, file, problems);
                var index = 0;
                foreach (var step in steps.Children.OfType<YamlMappingNode>()) CheckStep(step, $"{field}[{index++}]", file, problems);
                continue;
            }
            if (isTaskSpec && name == "sidecars" && value is YamlSequenceNode sidecars)
                foreach (var (sidecar, i) in sidecars.Children.Select((c, i) => (c, i)))
                    // Kubernetes' ValidateProbe: a startup probe passes once, so its successThreshold must be 1.
                    if (Child(Child(sidecar, "startupProbe") ?? new YamlMappingNode(), "successThreshold") is YamlScalarNode { Value: { } threshold } thresholdNode && threshold != "1")
                        problems.Add($"{At(thresholdNode, file)} {field}[{i}].startupProbe.successThreshold: Invalid value: {threshold}: must be 1");
            FindSteps(value, field, isTaskSpec: name == "taskSpec", file, problems);
        }
    }

    /// <summary>container_validation.go Step.Validate: a ref step takes its container from the StepAction; an inline one gets no params.</summary>
    private static void CheckStep(YamlMappingNode step, string path, string file, List<string> problems)
    {
        // container_validation.go: every step's name, results or not, is a DNS label (it names the step's container).
        if (Child(step, "name") is YamlScalarNode { Value: { Length: > 0 } stepName } named && !DnsLabel().IsMatch(stepName))
            problems.Add($"{At(named, file)} {path}.name: invalid value \"{stepName}\" (Task step name must be a valid DNS Label: lowercase letters, digits and '-', at most 63)");
        // validateStepResultReference: the entrypoint substitutes step results only in env, command and args (a ref step's
        // params pass them on to its StepAction: stepactions.md "Passing Step Results as params").
        foreach (var (key, value) in step.Children)
            if (key is YamlScalarNode { Value: { } field } && field is not ("env" or "command" or "args" or "params")
                && ScalarsOf(value).FirstOrDefault(n => TektonVariables.Names(n.Value ?? "").Any(r => r.StartsWith("steps.", StringComparison.Ordinal) && r.Contains(".results.", StringComparison.Ordinal))) is { } used)
                problems.Add($"{At(used, file)} {path}.{field}: stepResult substitutions are only allowed in env, command and args (pass it through env)");
        if (Child(step, "ref") is not null)
        {
            foreach (var (key, _) in step.Children)
                if (key is YamlScalarNode { Value: { } name } && ActionOwned.Contains(name))
                    problems.Add($"{At(key, file)} {path}.{name}: {(name == "workingDir" ? "working dir" : name)} cannot be used with Ref");
        }
        else if (step.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "params" }) is { } parameters)
            problems.Add($"{At(parameters, file)} {path}.params: params cannot be used without Ref (an inline step reads the Task's params)");
    }

    /// <summary>stepaction_validation.go: an image, not both script and command, no param in the script, only declared params used.</summary>
    private static void CheckStepAction(YamlMappingNode spec, string file, List<string> problems)
    {
        if (Child(spec, "image") is null) problems.Add($"{At(spec, file)} spec.image: missing field(s): a StepAction names its image");
        if (Child(spec, "script") is YamlScalarNode script)
        {
            if (Child(spec, "command") is not null) problems.Add($"{At(script, file)} spec.script: script cannot be used with command");
            if (TektonVariables.Names(script.Value ?? "").Any(n => n.StartsWith("params.", StringComparison.Ordinal)))
                problems.Add($"{At(script, file)} spec.script: param substitution in scripts is not allowed. (pass the param through env or args)");
        }
        var declared = Child(spec, "params") is YamlSequenceNode parameters
            ? parameters.Children.Select(p => (Child(p, "name") as YamlScalarNode)?.Value ?? "").ToHashSet(StringComparer.Ordinal) : [];
        var texts = new List<(YamlScalarNode Node, string Path)>();
        void Collect(string field)
        {
            if (Child(spec, field) is YamlScalarNode single) texts.Add((single, $"spec.{field}"));
            else if (Child(spec, field) is YamlSequenceNode list)
                texts.AddRange(list.Children.OfType<YamlScalarNode>().Select((n, i) => (n, $"spec.{field}[{i}]")));
        }
        foreach (var field in new[] { "image", "script", "command", "args", "workingDir" }) Collect(field);
        foreach (var (field, key) in new[] { ("env", "value"), ("volumeMounts", "name") })
            if (Child(spec, field) is YamlSequenceNode entries)
                texts.AddRange(entries.Children.Select((e, i) => (Child(e, key) as YamlScalarNode, $"spec.{field}[{i}].{key}")).Where(t => t.Item1 is not null).Select(t => (t.Item1!, t.Item2)));
        foreach (var (node, path) in texts)
        {
            var unknown = TektonVariables.Names(node.Value ?? "").Where(n => n.StartsWith("params.", StringComparison.Ordinal))
                .Select(n => n[7..]).Where(n => !declared.Any(d => n == d || n.StartsWith(d + "[", StringComparison.Ordinal) || n.StartsWith(d + ".", StringComparison.Ordinal))).ToList();
            if (unknown.Count > 0) problems.Add($"{At(node, file)} {path}: non-existent variable in \"{node.Value}\" (declare param {unknown[0].Split('[', '.')[0]} in the StepAction)");
        }
        if (Child(spec, "volumeMounts") is YamlSequenceNode mounts)
            foreach (var (mount, i) in mounts.Children.Select((m, i) => (m, i)))
                if (Child(mount, "name") is YamlScalarNode { Value: { } name } node
                    && !(name.StartsWith("$(params.", StringComparison.Ordinal) && name.EndsWith(')') && TektonVariables.Names(name).Count() == 1 && name.IndexOf("$(", 2, StringComparison.Ordinal) < 0))
                    problems.Add($"{At(node, file)} spec.volumeMounts[{i}].name: invalid value: {name} (expect the Name to be a single param reference)");
    }

    private static IEnumerable<YamlScalarNode> ScalarsOf(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar],
        YamlSequenceNode list => list.Children.SelectMany(ScalarsOf),
        YamlMappingNode map => map.Children.Values.SelectMany(ScalarsOf),
        _ => [],
    };

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex DnsLabel();

    internal static YamlNode? Child(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    internal static string At(YamlNode node, string file) => $"{file}:{node.Start.Line}:{node.Start.Column}";
}
