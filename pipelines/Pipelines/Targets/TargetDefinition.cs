using Pipelines.Workspace;
namespace Pipelines.Targets;

/// <summary>What a target declared about itself; built once per target by calling its delegate.</summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    private readonly List<Target> _dependsOn = [];
    private readonly List<Target> _after = [];
    private readonly List<Target> _before = [];
    private readonly List<Target> _dependentFor = [];
    private readonly List<Condition> _conditions = [];
    private readonly List<Requirement> _requirements = [];
    private readonly List<Check> _checks = [];
    private readonly List<string> _produces = [];
    private readonly List<Func<Fingerprint, CancellationToken, Task>> _inputs = [];
    private readonly List<string> _outputFiles = [];
    private readonly List<Func<CachedRun, CancellationToken, Task<string?>>> _cacheChecks = [];

    private readonly object? _build;

    /// <summary>Starts the definition of the named target.</summary>
    public TargetDefinition(string name) => Name = name;

    /// <summary>Starts the definition of a build's target, declared by a class or a component interface.</summary>
    internal TargetDefinition(string name, Type declaringType, object build)
    {
        Name = name;
        DeclaringType = declaringType;
        _build = build;
    }

    /// <summary>The target's name: its property name.</summary>
    public string Name { get; }
    /// <summary>The build class or component interface that declares the target; help lists the component's parameters under it.</summary>
    public Type? DeclaringType { get; }
    /// <summary>What the target does, for help and plans.</summary>
    public string? DescriptionText { get; private set; }
    /// <summary>Targets that must run first.</summary>
    public IReadOnlyList<Target> DependencyTargets => _dependsOn;
    /// <summary>Targets this one runs after when both are planned.</summary>
    public IReadOnlyList<Target> AfterTargets => _after;
    /// <summary>Targets this one runs before when both are planned.</summary>
    public IReadOnlyList<Target> BeforeTargets => _before;
    /// <summary>Targets that depend on this one, as if each had declared <c>DependsOn(this)</c>.</summary>
    public IReadOnlyList<Target> DependentForTargets => _dependentFor;
    /// <summary>Conditions that must hold, or the target is skipped.</summary>
    public IReadOnlyList<Condition> Conditions => _conditions;
    /// <summary>Parameters that must be set before the run starts.</summary>
    public IReadOnlyList<Requirement> Requirements => _requirements;
    /// <summary>Checks of the target's parameters, run before the run starts.</summary>
    public IReadOnlyList<Check> Checks => _checks;
    /// <summary>Outputs the target publishes.</summary>
    public IReadOnlyList<string> Outputs => _produces;
    /// <summary>What the target reads; empty for a target that is never cached.</summary>
    public IReadOnlyList<Func<Fingerprint, CancellationToken, Task>> InputDeclarations => _inputs;
    /// <summary>Files and folders the target writes, kept in the cache.</summary>
    public IReadOnlyList<string> OutputFilePaths => _outputFiles;
    /// <summary>Checks that a cached run's outputs still hold.</summary>
    public IReadOnlyList<Func<CachedRun, CancellationToken, Task<string?>>> CacheChecks => _cacheChecks;
    /// <summary>True when the target declared its inputs and may be skipped by the cache.</summary>
    public bool IsCacheable => _inputs.Count > 0;

    /// <summary>The target's body; null for a target that only groups others.</summary>
    public Func<TargetContext, Task>? Action { get; private set; }

    /// <summary>Says what the target does, for help and plans.</summary>
    public ITargetDefinition Description(string description)
    {
        DescriptionText = description;
        return this;
    }

    /// <summary>Makes these targets run first, and plans them with this one.</summary>
    public ITargetDefinition DependsOn(params Target[] targets)
    {
        _dependsOn.AddRange(targets);
        return this;
    }

    /// <summary>Makes each of these targets depend on this one.</summary>
    public ITargetDefinition DependentFor(params Target[] targets)
    {
        _dependentFor.AddRange(targets);
        return this;
    }

    /// <summary>Makes a component's target run first: <c>.DependsOn&lt;ITest&gt;(x => x.Test)</c>.</summary>
    public ITargetDefinition DependsOn<T>(Func<T, Target> target) where T : class => DependsOn(TargetOf(target));

    /// <summary>Makes a component's target depend on this one: <c>.DependentFor&lt;IContainerize&gt;(x => x.Containerize)</c>.</summary>
    public ITargetDefinition DependentFor<T>(Func<T, Target> target) where T : class => DependentFor(TargetOf(target));

    /// <summary>Orders this target after a component's target when both are planned.</summary>
    public ITargetDefinition After<T>(Func<T, Target> target) where T : class => After(TargetOf(target));

    /// <summary>Orders this target before a component's target when both are planned.</summary>
    public ITargetDefinition Before<T>(Func<T, Target> target) where T : class => Before(TargetOf(target));

    private Target TargetOf<T>(Func<T, Target> target) where T : class =>
        _build is T build ? target(build)
            : throw new InvalidOperationException($"Target {Name} refers to a target of {typeof(T).Name}, which the build does not implement: add {typeof(T).Name} to the build's components.");

    /// <summary>Orders this target after these when both are planned.</summary>
    public ITargetDefinition After(params Target[] targets)
    {
        _after.AddRange(targets);
        return this;
    }

    /// <summary>Orders this target before these when both are planned.</summary>
    public ITargetDefinition Before(params Target[] targets)
    {
        _before.AddRange(targets);
        return this;
    }

    /// <summary>Skips the target unless the condition holds; the skip reason shows the condition's text.</summary>
    public ITargetDefinition OnlyWhen(Func<bool> condition, string conditionText = "")
    {
        _conditions.Add(new Condition(condition, StripLambda(conditionText)));
        return this;
    }

    /// <summary>Fails the run before any target when the parameter is not set.</summary>
    public ITargetDefinition Requires(Func<object?> parameter, string parameterText = "")
    {
        _requirements.Add(new Requirement(parameter, StripLambda(parameterText)));
        return this;
    }

    /// <summary>Fails the run before any target when the check throws.</summary>
    public ITargetDefinition Requires(Func<CancellationToken, Task> check, string checkText = "")
    {
        _checks.Add(new Check(check, StripLambda(checkText)));
        return this;
    }

    /// <summary>Declares outputs the target publishes.</summary>
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

    /// <summary>Declares what the target reads; makes it cacheable.</summary>
    public ITargetDefinition Inputs(Func<Fingerprint, CancellationToken, Task> declare)
    {
        _inputs.Add(declare);
        return this;
    }

    /// <summary>Declares what the target reads, synchronously; makes it cacheable.</summary>
    public ITargetDefinition Inputs(Action<Fingerprint> declare) =>
        Inputs((fingerprint, _) =>
        {
            declare(fingerprint);
            return Task.CompletedTask;
        });

    /// <summary>Declares files or folders the target writes, kept in the cache.</summary>
    public ITargetDefinition OutputFiles(params string[] paths)
    {
        foreach (var path in paths)
        {
            if (Path.IsPathRooted(path) || path.Split('/', '\\').Contains(".."))
                throw new ArgumentException($"Output file '{path}' of target {Name} must be relative to the root, without '..'.");
            _outputFiles.Add(path);
        }
        return this;
    }

    /// <summary>Adds a check that a cached run's outputs still hold.</summary>
    public ITargetDefinition CachedWhile(Func<CachedRun, CancellationToken, Task<string?>> stillValid)
    {
        _cacheChecks.Add(stillValid);
        return this;
    }

    /// <summary>Sets the target's body.</summary>
    public ITargetDefinition Executes(Func<TargetContext, Task> action)
    {
        if (Action is not null)
            throw new InvalidOperationException($"Target {Name} declares Executes twice.");
        Action = action;
        return this;
    }

    /// <summary>Sets the target's body.</summary>
    public ITargetDefinition Executes(Action<TargetContext> action) =>
        Executes(context =>
        {
            action(context);
            return Task.CompletedTask;
        });

    /// <summary>Sets the target's body.</summary>
    public ITargetDefinition Executes(Func<Task> action) => Executes(_ => action());

    /// <summary>Sets the target's body.</summary>
    public ITargetDefinition Executes(Action action) => Executes(_ => action());

    /// <summary><c>() => Push &amp;&amp; IsMain</c> reads better as <c>Push &amp;&amp; IsMain</c>.</summary>
    private static string StripLambda(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith("() =>", StringComparison.Ordinal) ? trimmed[5..].Trim() : trimmed;
    }

    /// <summary>An <c>OnlyWhen</c> condition; the target is skipped when it is false.</summary>
    /// <param name="Evaluate">Decides, when the target is reached, whether it runs.</param>
    /// <param name="Text">The condition as written, shown as the skip reason.</param>
    public sealed record Condition(Func<bool> Evaluate, string Text);

    /// <summary>A <c>Requires</c> parameter; the run stops before any target when it is unset.</summary>
    /// <param name="Value">Reads the parameter's value once parameters are bound.</param>
    /// <param name="Text">The parameter as written, named in the error.</param>
    public sealed record Requirement(Func<object?> Value, string Text);

    /// <summary>A <c>Requires</c> check; the run stops before any target when it throws.</summary>
    /// <param name="Run">Checks the bound parameters; throws <see cref="PipelineException"/> naming the input and the fix.</param>
    /// <param name="Text">The check as written.</param>
    public sealed record Check(Func<CancellationToken, Task> Run, string Text);
}

internal static class OutputName
{
    public static bool IsValid(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
