using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipelines.TektonLocal;

/// <summary>
/// Step results (stepactions.md "Passing Results between Steps"): a step writes its declared results under its own
/// <c>/tekton/steps/step-&lt;name&gt;/results</c>, the only part of /tekton/steps it may write; a later step reads
/// them as <c>$(steps.&lt;name&gt;.results.&lt;r&gt;)</c> in its command, args and env, which Tekton's entrypoint
/// substitutes when the step starts (here: when its container is created); a Task result whose <c>value</c> names a
/// step result is that result once the steps have run.
/// </summary>
internal sealed partial class TaskPod
{
    /// <summary>The step results written so far, under the names <c>$(steps.…)</c> reads.</summary>
    private readonly Dictionary<string, string> _stepResults = new(StringComparer.Ordinal);

    /// <summary>The init container's commands that make each results folder, writable by a step of any user.</summary>
    private static string StepResultFolders(IReadOnlyList<object?> steps) => string.Concat(steps.Select((step, i) => (step, i))
        .Where(s => Yaml.List(s.step, "results").Count > 0)
        .Select(s => $"mkdir -p '{StepActions.ResultsFolder(ContainerName(s.step, s.i))}'; chmod 0777 '{StepActions.ResultsFolder(ContainerName(s.step, s.i))}'; "));

    /// <summary>The step's container name, refused unless it is a DNS label (Tekton validates it so; here it reaches a shell).</summary>
    private static string ContainerName(object? step, int index)
    {
        var name = StepName(step, index);
        return DnsLabel().IsMatch(name[5..]) ? name
            : throw new ContainerConfigException($"invalid value \"{name[5..]}\": steps[{index}].name (Task step name must be a valid DNS Label)");
    }

    /// <summary>Each step that declares results: its own results folder as a writable mount over the read-only /tekton/steps.</summary>
    private async Task<Dictionary<string, (string Volume, string Path)>> StepResultMountsAsync(string tekton, IReadOnlyList<object?> steps, CancellationToken cancellationToken)
    {
        var mounts = new Dictionary<string, (string Volume, string Path)>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            if (Yaml.List(steps[i], "results").Count == 0) continue;
            var folder = StepActions.ResultsFolder(ContainerName(steps[i], i));
            mounts[StepName(steps[i], i)] = (await settings.Volumes.SubPathAsync(settings, tekton, folder["/tekton/".Length..], cancellationToken), folder);
        }
        return mounts;
    }

    /// <summary>The step with the step results written so far substituted into its command and args (a whole array spliced).</summary>
    private object? WithStepResults(object? step)
    {
        if (_stepResults.Count == 0) return step;
        var resolved = Yaml.Map(step).ToDictionary(p => p.Key, p => p.Value);
        foreach (var field in new[] { "command", "args" })
            if (resolved.TryGetValue(field, out var value)) resolved[field] = PipelineSchedule.Substitute(value, _stepResults);
        return resolved;
    }

    /// <summary>The step's env (NAME=value) with the step results written so far substituted into the values.</summary>
    private List<string> WithStepResults(List<string> env) =>
        _stepResults.Count == 0 ? env : env.Select(v => v.Split('=', 2) is [var name, var value] ? $"{name}={TektonVariables.Apply(value, _stepResults)}" : v).ToList();

    /// <summary>Reads the results the step wrote, each as its declared type reads it; returns them (its termination message carries them).</summary>
    private async Task<IReadOnlyDictionary<string, string>> ReadStepResultsAsync(string holder, object? step, int index)
    {
        var declared = Yaml.List(step, "results");
        if (declared.Count == 0 || Yaml.String(step, "name") is not { } name) return new Dictionary<string, string>();
        var written = await ReadResultsAsync(holder, StepActions.ResultsFolder(StepName(step, index)));
        foreach (var result in declared)
            if (Yaml.String(result, "name") is { } key && written.TryGetValue(key, out var text))
            {
                TektonValues.Add(_stepResults, $"steps.{name}.results.{key}", TektonValues.Parse(text, Yaml.String(result, "type")));
                // A Task result's value names the whole step result (result_validation.go: $(steps.<s>.results.<r>) only), whatever its type.
                _stepResults.TryAdd($"steps.{name}.results.{key}", text);
            }
        return written;
    }

    /// <summary>The Task results, with those whose <c>value</c> names step results taken from them (when all were written).</summary>
    private Dictionary<string, string> WithTaskResultsFromSteps(object? spec, Dictionary<string, string> results)
    {
        foreach (var result in Yaml.List(spec, "results"))
        {
            if (Yaml.Map(result).GetValueOrDefault("value") is not { } value || Yaml.String(result, "name") is not { } name) continue;
            var resolved = PipelineSchedule.Substitute(value, _stepResults);
            if (TektonValues.Strings(resolved).Any(s => TektonVariables.Names(s).Any(n => n.StartsWith("steps.", StringComparison.Ordinal)))) continue;
            results[name] = resolved is string text ? text : JsonSerializer.Serialize(resolved is IList<object?> list
                ? list.Select(i => Convert.ToString(i, System.Globalization.CultureInfo.InvariantCulture)).ToList()
                : (object)Yaml.Map(resolved).ToDictionary(p => p.Key, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
        return results;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
