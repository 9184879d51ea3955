namespace Pipelines.Targets;

/// <summary>
/// A target, declared as a property of a build class:
/// <c>Target Test => _ => _.DependsOn(Restore).Executes(ctx => …);</c>
/// The engine calls the delegate once with a fresh definition to learn what the target is.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);
