using System.Text.RegularExpressions;

namespace Pipelines.TektonLocal;

/// <summary>
/// Tekton's StepActions (stepactions.md): a step with <c>ref.name</c> becomes the StepAction's container, its
/// <c>$(params.…)</c> resolved against the params the step passes (never the Task's), with the StepAction's defaults
/// for the rest; and every step that declares <c>results</c> gets <c>$(step.results.&lt;r&gt;.path)</c>. The order
/// follows the reconciler (taskspec.go <c>resolveStepRef</c>, apply.go <c>applyStepActionParameters</c>): the step's
/// param values see the Task's params first, then the StepAction's defaults fill what the step does not give.
/// </summary>
internal static partial class StepActions
{
    /// <summary>What a StepAction gives a step (the StepActionSpec's container fields); params and results aside.</summary>
    private static readonly string[] ActionFields = ["image", "command", "args", "script", "env", "workingDir", "securityContext", "volumeMounts", "results"];

    /// <summary>
    /// The Task spec with each <c>ref</c> step replaced by its StepAction and step result paths set; a StepAction that
    /// is missing or whose params do not match fails the TaskRun (<see cref="StepActionException"/>: TaskRunResolutionFailed).
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Expand(RenderedTekton rendered, object? taskSpec, IReadOnlyDictionary<string, string> taskValues)
    {
        var spec = Yaml.Map(taskSpec).ToDictionary(p => p.Key, p => p.Value);
        var steps = Yaml.List(taskSpec, "steps");
        if (!steps.Any(s => Yaml.Has(s, "ref") || Yaml.Has(s, "results"))) return spec;
        spec["steps"] = steps.Select((step, i) => (object?)WithResultPaths(Yaml.Has(step, "ref") ? Resolve(rendered, step, i, taskValues) : Yaml.Map(step), i)).ToList();
        return spec;
    }

    /// <summary>
    /// The spec as far as it can be expanded before anything runs (to check its images): when a StepAction cannot be
    /// resolved its TaskRun fails before any step starts, so its ref steps need no image.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> ExpandForImages(RenderedTekton rendered, object? taskSpec, IReadOnlyDictionary<string, string> taskValues)
    {
        try
        {
            return Expand(rendered, taskSpec, taskValues);
        }
        catch (StepActionException)
        {
            var spec = Yaml.Map(taskSpec).ToDictionary(p => p.Key, p => p.Value);
            spec["steps"] = Yaml.List(taskSpec, "steps").Where(s => !Yaml.Has(s, "ref")).ToList();
            return spec;
        }
    }

    /// <summary>One <c>ref</c> step as the StepAction's container with the step's own fields (name, timeout, onError…).</summary>
    private static IReadOnlyDictionary<string, object?> Resolve(RenderedTekton rendered, object? step, int index, IReadOnlyDictionary<string, string> taskValues)
    {
        var reference = Yaml.String(Yaml.Map(step, "ref"), "name") ?? "";
        var stepName = Yaml.String(step, "name") ?? "";
        StepActionException Failure(string why) => new($"failed to resolve step ref for step \"{stepName}\" (index {index}): {why}");
        var action = Yaml.Map(rendered.StepAction(reference) ?? throw Failure($"stepactions.tekton.dev \"{reference}\" not found"), "spec");

        var declared = Yaml.List(action, "params").ToDictionary(p => Yaml.String(p, "name")!, p => p);
        var given = Yaml.List(step, "params").ToDictionary(p => Yaml.String(p, "name")!, p => Yaml.Map(p).GetValueOrDefault("value"));
        // validate_params.go validateStepHasStepActionParameters: extra params first, then the required ones missing.
        if (given.Keys.Where(k => !declared.ContainsKey(k)).ToList() is { Count: > 0 } extra)
            throw Failure($"extra params passed by Step to StepAction: [{string.Join(" ", extra)}]");
        if (declared.Where(p => !given.ContainsKey(p.Key) && !Yaml.Has(p.Value, "default")).Select(p => p.Key).ToList() is { Count: > 0 } missing)
            throw Failure($"non-existent params in Step: [{string.Join(" ", missing)}]");

        var values = new Dictionary<string, string>();
        var stepResults = new Dictionary<string, string>();
        // 1, 2: the step's values, the Task's params substituted in them; a step result reference is kept for the step's run.
        foreach (var (name, raw) in given)
        {
            var value = PipelineSchedule.Substitute(raw, taskValues);
            if (value is string text && StepResultReference(text) is { } result) stepResults[name] = result;
            else AddParam(values, declared[name], value);
        }
        // 3, 4: defaults; one that references other params once those have values.
        var pending = declared.Where(p => !given.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        while (pending.Count > 0)
        {
            var ready = pending.Where(p => Yaml.Map(p.Value).GetValueOrDefault("default") is not string text
                || TektonVariables.Names(text).Where(n => n.StartsWith("params.", StringComparison.Ordinal)).All(values.ContainsKey)).ToList();
            if (ready.Count == 0)
            {
                var unknown = pending.SelectMany(p => TektonVariables.Names(Yaml.String(p.Value, "default") ?? "")).Where(n => n.StartsWith("params.", StringComparison.Ordinal) && !declared.ContainsKey(n[7..])).ToList();
                throw Failure(unknown.Count > 0 ? $"parameter \"{pending.Keys.First()}\" references non-existent parameter \"{unknown[0][7..]}\"" : "circular dependency detected in parameter references");
            }
            foreach (var (name, param) in ready)
            {
                var fallback = Yaml.Map(param).GetValueOrDefault("default");
                AddParam(values, param, fallback is string text ? TektonVariables.Apply(text, values) : fallback);
                pending.Remove(name);
            }
        }

        var body = action.Where(p => ActionFields.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        var resolved = Yaml.Map(PipelineSchedule.Substitute(MapStrings(body, text => ToStepResults(text, stepResults)), values));
        var merged = Yaml.Map(step).Where(p => p.Key is not ("ref" or "params")).ToDictionary(p => p.Key, p => p.Value);
        // resolveStepRef: the StepAction's securityContext and workingDir replace the step's even when unset; the rest only when set.
        foreach (var field in ActionFields)
        {
            var value = resolved.GetValueOrDefault(field);
            var set = value switch { null => false, string text => text.Length > 0, IList<object?> list => list.Count > 0, _ => true };
            if (set) merged[field] = value;
            else if (field is "securityContext" or "workingDir") merged.Remove(field);
        }
        return merged;
    }

    /// <summary>A declared param's value by its type: an object given only some keys takes the others from its default.</summary>
    private static void AddParam(Dictionary<string, string> values, object? declaration, object? value)
    {
        var name = $"params.{Yaml.String(declaration, "name")}";
        var fallback = Yaml.Map(declaration).GetValueOrDefault("default");
        var isObject = Yaml.String(declaration, "type") == "object" || fallback is IDictionary<object, object?>;
        if (isObject && fallback is IDictionary<object, object?> defaults)
        {
            // A value that is not an object (a reference left unresolved) keeps the default's keys, as the reconciler's merge does.
            var keys = value is IDictionary<object, object?> or IReadOnlyDictionary<string, object?>
                ? Yaml.Map(defaults).Concat(Yaml.Map(value)).GroupBy(p => p.Key).ToDictionary(g => (object)g.Key, g => g.Last().Value)
                : defaults;
            TektonValues.Add(values, name, keys);
            if (value is string text) values[name] = text;
            return;
        }
        TektonValues.Add(values, name, value);
    }

    /// <summary><c>steps.&lt;s&gt;.results.&lt;r&gt;</c> when the text is exactly one reference to a step result, else null.</summary>
    private static string? StepResultReference(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("$(", StringComparison.Ordinal) || !trimmed.EndsWith(')') || trimmed.IndexOf("$(", 2, StringComparison.Ordinal) >= 0) return null;
        var name = TektonVariables.Normalize(trimmed[2..^1]);
        var parts = name.Split('.');
        return parts.Length >= 4 && parts[0] == "steps" && parts[2] == "results" ? string.Join('.', parts[..4]).Split('[')[0] : null;
    }

    /// <summary>
    /// apply.go replacementsFromStepResults: a param the step fills from a step result is read where the StepAction uses
    /// it (<c>$(params.p)</c>, <c>[*]</c>, <c>[i]</c>, <c>.key</c>) from that result when the step runs.
    /// </summary>
    private static string ToStepResults(string text, IReadOnlyDictionary<string, string> stepResults) =>
        stepResults.Count == 0 || !text.Contains("$(", StringComparison.Ordinal) ? text : Reference().Replace(text, m =>
        {
            var name = TektonVariables.Normalize(m.Groups[1].Value);
            foreach (var (param, result) in stepResults)
            {
                var prefix = $"params.{param}";
                if (name == prefix || name.StartsWith(prefix + "[", StringComparison.Ordinal) || name.StartsWith(prefix + ".", StringComparison.Ordinal))
                    return $"$({result}{name[prefix.Length..]})";
            }
            return m.Value;
        });

    /// <summary>Tekton's path for a step's own results (apply.go getStepResultReplacements), in that step only.</summary>
    private static IReadOnlyDictionary<string, object?> WithResultPaths(IReadOnlyDictionary<string, object?> step, int index)
    {
        var results = Yaml.List(step, "results");
        if (results.Count == 0) return step;
        var paths = results.Select(r => Yaml.String(r, "name")!)
            .ToDictionary(r => $"step.results.{r}.path", r => $"{ResultsFolder(TaskPod.StepName(step, index))}/{r}");
        return Yaml.Map(PipelineSchedule.Substitute(step, paths));
    }

    /// <summary>Where a step's results are written: <c>/tekton/steps/&lt;container&gt;/results</c>.</summary>
    internal static string ResultsFolder(string containerName) => $"/tekton/steps/{containerName}/results";

    private static object? MapStrings(object? node, Func<string, string> map) => node switch
    {
        string text => map(text),
        IList<object?> list => list.Select(i => MapStrings(i, map)).ToList(),
        IDictionary<object, object?> or IReadOnlyDictionary<string, object?> => Yaml.Map(node).ToDictionary(p => p.Key, p => MapStrings(p.Value, map)),
        _ => node,
    };

    [GeneratedRegex(@"\$\(([^()$]+)\)")]
    private static partial Regex Reference();
}

/// <summary>A step's StepAction cannot be resolved: the TaskRun fails as TaskRunResolutionFailed, nothing of it runs.</summary>
internal sealed class StepActionException(string message) : Exception(message);
