namespace Pipelines.Targets;

/// <summary>What a target declared about itself; built once per target by calling its delegate.</summary>
public sealed class TargetDefinition : ITargetDefinition
{
    private readonly List<Target> _dependsOn = [];
    private readonly List<Target> _after = [];
    private readonly List<Target> _before = [];
    private readonly List<Condition> _conditions = [];
    private readonly List<Requirement> _requirements = [];
    private readonly List<string> _produces = [];

    public TargetDefinition(string name) => Name = name;

    public string Name { get; }
    public string? DescriptionText { get; private set; }
    public IReadOnlyList<Target> DependencyTargets => _dependsOn;
    public IReadOnlyList<Target> AfterTargets => _after;
    public IReadOnlyList<Target> BeforeTargets => _before;
    public IReadOnlyList<Condition> Conditions => _conditions;
    public IReadOnlyList<Requirement> Requirements => _requirements;
    public IReadOnlyList<string> Outputs => _produces;
    public Func<TargetContext, Task>? Action { get; private set; }

    public ITargetDefinition Description(string description)
    {
        DescriptionText = description;
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets)
    {
        _dependsOn.AddRange(targets);
        return this;
    }

    public ITargetDefinition After(params Target[] targets)
    {
        _after.AddRange(targets);
        return this;
    }

    public ITargetDefinition Before(params Target[] targets)
    {
        _before.AddRange(targets);
        return this;
    }

    public ITargetDefinition OnlyWhen(Func<bool> condition, string conditionText = "")
    {
        _conditions.Add(new Condition(condition, StripLambda(conditionText)));
        return this;
    }

    public ITargetDefinition Requires(Func<object?> parameter, string parameterText = "")
    {
        _requirements.Add(new Requirement(parameter, StripLambda(parameterText)));
        return this;
    }

    public ITargetDefinition Produces(params string[] outputs)
    {
        foreach (var output in outputs)
        {
            if (!OutputName.IsValid(output))
                throw new ArgumentException($"Output name '{output}' of target {Name} must be letters, digits and underscores, starting with a letter.");
            _produces.Add(output);
        }
        return this;
    }

    public ITargetDefinition Executes(Func<TargetContext, Task> action)
    {
        if (Action is not null)
            throw new InvalidOperationException($"Target {Name} declares Executes twice.");
        Action = action;
        return this;
    }

    public ITargetDefinition Executes(Action<TargetContext> action) =>
        Executes(context =>
        {
            action(context);
            return Task.CompletedTask;
        });

    public ITargetDefinition Executes(Func<Task> action) => Executes(_ => action());

    public ITargetDefinition Executes(Action action) => Executes(_ => action());

    /// <summary><c>() => Push &amp;&amp; IsMain</c> reads better as <c>Push &amp;&amp; IsMain</c>.</summary>
    private static string StripLambda(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith("() =>", StringComparison.Ordinal) ? trimmed[5..].Trim() : trimmed;
    }

    public sealed record Condition(Func<bool> Evaluate, string Text);

    public sealed record Requirement(Func<object?> Value, string Text);
}

internal static class OutputName
{
    public static bool IsValid(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
