namespace Pipelines.Targets;

/// <summary>
/// Turns declared targets and a request into an ordered plan. A pure function: nothing runs.
/// </summary>
internal static class ExecutionPlanner
{
    /// <summary>Orders the requested targets and their dependencies, marking the ones to skip; throws on cycles and unknown names.</summary>
    public static ExecutionPlan Plan(IReadOnlyList<TargetNode> targets, PlanRequest request, string defaultTarget)
    {
        var byName = targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var order = targets.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.OrdinalIgnoreCase);

        foreach (var target in targets)
            foreach (var reference in target.DependsOn.Concat(target.After).Concat(target.Before))
                if (!byName.ContainsKey(reference))
                    throw new PlanException($"Target {target.Name} refers to {reference}, which is not a target.");

        var cycle = FindCycle(targets, byName);
        if (cycle is not null)
            throw new PlanException($"The targets depend on each other in a cycle: {string.Join(" → ", cycle)}.");

        var invoked = (request.Invoked.Count == 0 ? [defaultTarget] : request.Invoked)
            .Select(name => Resolve(name, byName, "target"))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var skipped = request.Skip?.Select(name => Resolve(name, byName, "target in --skip")).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Everything invoked, plus everything it depends on, transitively.
        var scheduled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>(invoked);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (!scheduled.Add(name)) continue;
            foreach (var dependency in byName[name].DependsOn) pending.Push(byName[dependency].Name);
        }

        // Edges among scheduled targets: dependency → dependent, after → this, this → before.
        var incoming = scheduled.ToDictionary(n => n, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        foreach (var name in scheduled)
        {
            var target = byName[name];
            foreach (var first in target.DependsOn.Concat(target.After).Where(scheduled.Contains))
                incoming[name].Add(byName[first].Name);
            foreach (var later in target.Before.Where(scheduled.Contains))
                incoming[byName[later].Name].Add(name);
        }

        // Kahn's algorithm; ties go to declaration order so plans are stable.
        var plan = new List<PlannedTarget>();
        var ready = new SortedSet<string>(Comparer<string>.Create((a, b) => order[a].CompareTo(order[b])));
        foreach (var name in scheduled.Where(n => incoming[n].Count == 0)) ready.Add(name);
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            plan.Add(new PlannedTarget(byName[next].Name, SkipReason(next)));
            foreach (var (name, sources) in incoming)
                if (sources.Remove(next) && sources.Count == 0) ready.Add(name);
        }

        return new ExecutionPlan(plan, invoked.Select(n => byName[n].Name).ToList());

        string? SkipReason(string name)
        {
            if (skipped is null) return null;
            if (skipped.Count == 0)
                return invoked.Contains(name, StringComparer.OrdinalIgnoreCase) ? null : "--skip";
            return skipped.Contains(name) ? "--skip " + byName[name].Name : null;
        }
    }

    /// <summary>Finds a target name ignoring case, or fails with the valid names and a close match.</summary>
    public static string Resolve(string name, IReadOnlyDictionary<string, TargetNode> byName, string what)
    {
        if (byName.TryGetValue(name, out var node)) return node.Name;
        throw new PlanException(Suggestions.UnknownMessage(what, name, byName.Values.Select(t => t.Name)));
    }

    private static List<string>? FindCycle(IReadOnlyList<TargetNode> targets, Dictionary<string, TargetNode> byName)
    {
        // Every ordering constraint as "a must come before b".
        var next = targets.ToDictionary(t => t.Name, _ => new List<string>(), StringComparer.OrdinalIgnoreCase);
        foreach (var target in targets)
        {
            foreach (var first in target.DependsOn.Concat(target.After)) next[byName[first].Name].Add(target.Name);
            foreach (var later in target.Before) next[target.Name].Add(byName[later].Name);
        }

        var state = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase); // 1 visiting, 2 done
        var path = new List<string>();
        foreach (var target in targets)
        {
            var cycle = Visit(target.Name);
            if (cycle is not null) return cycle;
        }
        return null;

        List<string>? Visit(string name)
        {
            if (state.TryGetValue(name, out var s))
            {
                if (s == 2) return null;
                var start = path.FindIndex(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
                return [.. path.Skip(start), name];
            }
            state[name] = 1;
            path.Add(name);
            foreach (var successor in next[name])
            {
                var cycle = Visit(successor);
                if (cycle is not null) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            return null;
        }
    }
}
