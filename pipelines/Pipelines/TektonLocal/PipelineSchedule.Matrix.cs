using Pipelines.Logging;
using System.Globalization;
using System.Text.Json;

namespace Pipelines.TektonLocal;

/// <summary>
/// matrix.md: a pipeline task with a <c>matrix</c> fans out into one TaskRun per combination of its params, named
/// <c>&lt;pr&gt;-&lt;task&gt;-&lt;index&gt;</c>, all run at once. The combinations are built as Tekton's
/// <c>Matrix.FanOut</c> builds them (matrix_types.go): each param multiplies the combinations so far, then each
/// <c>include</c> entry adds its params to every combination it does not contradict, or becomes a combination of its own.
/// Each TaskRun's string results are aggregated, in TaskRun name order, into an array result of the pipeline task.
/// </summary>
internal sealed partial class PipelineSchedule
{
    /// <summary>Tekton's <c>default-max-matrix-combinations-count</c>.</summary>
    internal const int MaxMatrixCombinations = 256;

    private const string EmptyMatrix = "Matrix Parameters have an empty array";

    private static IEnumerable<object?> MatrixParams(object? task) =>
        Yaml.List(Yaml.Map(task, "matrix"), "params").Concat(Yaml.List(Yaml.Map(task, "matrix"), "include").SelectMany(i => Yaml.List(i, "params")));

    private async Task<TaskRunOutcome> RunMatrixAsync(string name, object? task, bool isFinally, CancellationToken token)
    {
        var values = PipelineValues(isFinally);
        var combinations = Combinations(Yaml.Map(task, "matrix"), values);
        if (combinations is null) return TaskRunOutcome.Skip(name, EmptyMatrix, isFinally);
        if (combinations.Count > MaxMatrixCombinations)
            return new TaskRunOutcome(name, "", "Failed", "PipelineValidationFailed",
                $"expected 0 <= {combinations.Count} <= {MaxMatrixCombinations}: matrix of pipeline task {name}", TimeSpan.Zero, new Dictionary<string, string>(), isFinally);
        log.Info($"[{name}] matrix: {combinations.Count} TaskRun(s) ({string.Join("; ", combinations.Select(c => string.Join(", ", c.Select(p => $"{p.Key}={p.Value}"))))}).");
        var runs = await Task.WhenAll(combinations.Select((combination, index) =>
            RunTaskAsync(name, WithDisplayName(task, WithParams(task, combination), values), isFinally, token, $"{RunName}-{name}-{index}")));
        return Aggregate(name, runs, isFinally);
    }

    /// <summary>The combinations, or null when a matrix param is an empty array (the task is skipped).</summary>
    internal static List<Dictionary<string, string>>? Combinations(object? matrix, IReadOnlyDictionary<string, string> values)
    {
        string Text(object? value) => value switch
        {
            string text => text,
            null => "",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        var combinations = new List<Dictionary<string, string>>();
        var hasParams = false;
        foreach (var param in Yaml.List(matrix, "params"))
        {
            hasParams = true;
            var resolved = Substitute(Yaml.Map(param).GetValueOrDefault("value"), values);
            var items = resolved is IList<object?> list ? list.Select(Text).ToList() : [Text(resolved)];
            if (items.Count == 0) return null;
            var paramName = Yaml.String(param, "name")!;
            // distribute: for each value, a copy of every combination so far (initializeCombinations for the first).
            combinations = combinations.Count == 0
                ? items.Select(v => new Dictionary<string, string> { [paramName] = v }).ToList()
                : items.SelectMany(v => combinations.Select(c => new Dictionary<string, string>(c) { [paramName] = v })).ToList();
        }
        var includes = Yaml.List(matrix, "include").Select(i => Yaml.List(i, "params")
            .ToDictionary(p => Yaml.String(p, "name")!, p => Text(Substitute(Yaml.Map(p).GetValueOrDefault("value"), values)))).ToList();
        if (!hasParams) return includes;
        foreach (var include in includes)
        foreach (var combination in combinations.Where(c => include.All(p => !c.TryGetValue(p.Key, out var v) || v == p.Value)))
            foreach (var (key, value) in include) combination[key] = value;
        // shouldAddNewCombination: an include none of whose values appears in any combination stands alone.
        foreach (var include in includes.Where(i => i.Count > 0).ToList())
            if (!combinations.Any(c => include.Any(p => c.TryGetValue(p.Key, out var v) && v == p.Value))) combinations.Add(include);
        return combinations;
    }

    private static Dictionary<string, object?> WithParams(object? task, IReadOnlyDictionary<string, string> combination)
    {
        var copy = Yaml.Map(task).ToDictionary(p => p.Key, p => p.Value);
        copy.Remove("matrix");
        copy["params"] = Yaml.List(task, "params").Where(p => !combination.ContainsKey(Yaml.String(p, "name")!))
            .Concat(combination.Select(p => (object?)new Dictionary<string, object?> { ["name"] = p.Key, ["value"] = p.Value })).ToList();
        return copy;
    }

    /// <summary>
    /// matrix.md "DisplayName": each TaskRun's display name, as pipelinerunstate.go getDisplayName resolves it for
    /// childReferences: the pipeline task's displayName (the Pipeline's values substituted first, then the TaskRun's own
    /// string params, its combination among them), replaced by the names of the <c>include</c> entries whose params the
    /// TaskRun has (string values equal), joined by a space. The result becomes the fanned task's displayName.
    /// </summary>
    internal static Dictionary<string, object?> WithDisplayName(object? task, Dictionary<string, object?> fanned, IReadOnlyDictionary<string, string> values)
    {
        var own = new Dictionary<string, string>();
        foreach (var param in Yaml.List(fanned, "params"))
            if (Substitute(Yaml.Map(param).GetValueOrDefault("value"), values) is string text) own[$"params.{Yaml.String(param, "name")}"] = text;
        var display = Yaml.String(task, "displayName") is { } shown ? TektonVariables.Apply(TektonVariables.Apply(shown, values), own) : null;
        var replacements = new Dictionary<string, string>(values);
        foreach (var (key, value) in own) replacements[key] = value;
        var names = Yaml.List(Yaml.Map(task, "matrix"), "include")
            .Where(i => Yaml.String(i, "name") is { Length: > 0 } && Yaml.List(i, "params").All(p =>
                replacements.TryGetValue($"params.{Yaml.String(p, "name")}", out var value)
                && (Yaml.Map(p).GetValueOrDefault("value") is not string wanted || TektonVariables.Apply(wanted, values) == value)))
            .Select(i => TektonVariables.Apply(Yaml.String(i, "name")!, replacements)).ToList();
        if (names.Count > 0) display = string.Join(" ", names).Trim();
        if (display is not null) fanned["displayName"] = display;
        return fanned;
    }

    /// <summary>
    /// The pipeline task's outcome over its TaskRuns: failed when one failed (the first, by index, gives the reason);
    /// each string result an array of the values the TaskRuns wrote, in TaskRun name order (createResultsCacheMatrixedTaskRuns).
    /// </summary>
    private TaskRunOutcome Aggregate(string name, IReadOnlyList<TaskRunOutcome> runs, bool isFinally)
    {
        var failed = runs.FirstOrDefault(r => r.Status == "Failed");
        var results = runs.OrderBy(r => r.TaskRunName, StringComparer.Ordinal).SelectMany(r => r.Results)
            .GroupBy(r => r.Key).ToDictionary(g => g.Key, g => JsonSerializer.Serialize(g.Select(r => r.Value).ToList()));
        var duration = runs.Max(r => r.Duration);
        var outcome = failed is null
            ? new TaskRunOutcome(name, $"{RunName}-{name}", "Succeeded", "Succeeded", "All TaskRuns have completed executing", duration, results, isFinally)
            : new TaskRunOutcome(name, failed.TaskRunName, "Failed", failed.Reason, failed.Message, duration, results, isFinally);
        return outcome with { Fanned = runs, Retries = runs.Max(r => r.Retries) };
    }

    /// <summary>variables.md: <c>$(tasks.&lt;t&gt;.matrix.length)</c> and <c>$(tasks.&lt;t&gt;.matrix.&lt;r&gt;.length)</c>.</summary>
    private static void AddMatrixValues(Dictionary<string, string> values, string task, TaskRunOutcome outcome)
    {
        if (outcome.Fanned.Count == 0) return;
        values[$"tasks.{task}.matrix.length"] = outcome.Fanned.Count.ToString(CultureInfo.InvariantCulture);
        foreach (var (result, json) in outcome.Results)
            values[$"tasks.{task}.matrix.{result}.length"] = (JsonSerializer.Deserialize<List<string>>(json)?.Count ?? 0).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The combinations a matrix of literal lists makes, checked before anything starts (the admission webhook's limit).</summary>
    private static int? StaticCombinationCount(object? matrix)
    {
        var lists = Yaml.List(matrix, "params").Select(p => Yaml.Map(p).GetValueOrDefault("value")).ToList();
        if (lists.Any(v => v is not IList<object?> || TektonValues.Strings(v).Any(s => s.Contains("$(", StringComparison.Ordinal)))) return null;
        var count = lists.Count == 0 ? 0 : lists.Aggregate(1L, (n, v) => n * Math.Max(1, ((IList<object?>)v!).Count));
        return (int)Math.Min(int.MaxValue, count + Yaml.List(matrix, "include").Count);
    }
}
