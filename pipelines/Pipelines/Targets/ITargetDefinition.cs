using System.Runtime.CompilerServices;
using Pipelines.Workspace;

namespace Pipelines.Targets;

/// <summary>The fluent vocabulary a target declaration uses.</summary>
public interface ITargetDefinition
{
    /// <summary>One line shown by <c>--help</c> and in generated CI files.</summary>
    ITargetDefinition Description(string description);

    /// <summary>Targets that must run (or be skipped) before this one; scheduling this schedules them.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>
    /// Hooks this target in front of others: each of them depends on this one, as if it had declared
    /// <c>DependsOn(this)</c>, so planning any of them plans this first (NUKE's <c>DependentFor</c>). The way to add a
    /// step to a component's target without overriding it: <c>.DependentFor&lt;IContainerize&gt;(x => x.Containerize)</c>.
    /// </summary>
    ITargetDefinition DependentFor(params Target[] targets);

    /// <summary>A component's target that must run first: <c>.DependsOn&lt;ITest&gt;(x => x.Test)</c>.</summary>
    ITargetDefinition DependsOn<T>(Func<T, Target> target) where T : class;

    /// <summary>A component's target that depends on this one: <c>.DependentFor&lt;IContainerize&gt;(x => x.Containerize)</c>.</summary>
    ITargetDefinition DependentFor<T>(Func<T, Target> target) where T : class;

    /// <summary>Ordering only, after a component's target.</summary>
    ITargetDefinition After<T>(Func<T, Target> target) where T : class;

    /// <summary>Ordering only, before a component's target.</summary>
    ITargetDefinition Before<T>(Func<T, Target> target) where T : class;

    /// <summary>Ordering only: when both are scheduled, this runs after the others; it schedules nothing.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>Ordering only: when both are scheduled, this runs before the others; it schedules nothing (see <see cref="DependentFor"/>).</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>
    /// Checked just before the target runs; when false the target is skipped and the
    /// condition's source text is shown as the reason.
    /// </summary>
    ITargetDefinition OnlyWhen(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string conditionText = "");

    // RS0026 warns of overloads with optional parameters; these are [CallerArgumentExpression] texts the compiler fills,
    // never written by a caller, so the overloads cannot become ambiguous.
#pragma warning disable RS0026
    /// <summary>
    /// A parameter that must have a value; checked for every target that will run before any target runs.
    /// </summary>
    ITargetDefinition Requires(Func<object?> parameter, [CallerArgumentExpression(nameof(parameter))] string parameterText = "");

    /// <summary>
    /// A check of the parameters the target needs (a configured environment, a repository that exists, a kubeconfig
    /// context): run for every target that will run, after parameters are bound and before any target runs. It
    /// throws <see cref="PipelineException"/> naming the input and the fix; it must have no side effect.
    /// </summary>
    ITargetDefinition Requires(Func<CancellationToken, Task> check, [CallerArgumentExpression(nameof(check))] string checkText = "");
#pragma warning restore RS0026

    /// <summary>Outputs this target publishes (state file, GitHub outputs, Tekton results).</summary>
    ITargetDefinition Produces(params string[] outputs);

    /// <summary>
    /// What the target reads (files, parameter values, tool versions), declared into a <see cref="Fingerprint"/>.
    /// Makes the target cacheable: when the inputs equal those of its last success (and <c>CachedWhile</c> checks
    /// hold), it is skipped and what it published then is published again. <c>--fresh</c> ignores the cache.
    /// </summary>
    ITargetDefinition Inputs(Func<Fingerprint, CancellationToken, Task> declare);

    /// <summary>What the target reads, declared synchronously.</summary>
    ITargetDefinition Inputs(Action<Fingerprint> declare);

    /// <summary>Files or folders (relative to the root) a cached target writes: kept in the cache, put back when it is skipped.</summary>
    ITargetDefinition OutputFiles(params string[] paths);

    /// <summary>
    /// A check that a cached run's outputs still hold (its tags still at the digest in the registry, its signature
    /// still there): returns null when they do, else the reason they do not, and the target runs.
    /// </summary>
    ITargetDefinition CachedWhile(Func<CachedRun, CancellationToken, Task<string?>> stillValid);

    /// <summary>What the target does.</summary>
    ITargetDefinition Executes(Func<TargetContext, Task> action);

    /// <summary>What the target does, synchronously.</summary>
    ITargetDefinition Executes(Action<TargetContext> action);

    /// <summary>What the target does, when it needs no context.</summary>
    ITargetDefinition Executes(Func<Task> action);

    /// <summary>What the target does, synchronously, when it needs no context.</summary>
    ITargetDefinition Executes(Action action);
}
