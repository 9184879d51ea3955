namespace Pipelines.GitOps;

/// <summary>One value the setter wrote (or would write): where, which field, from what to what.</summary>
/// <param name="File">Path relative to the searched folder, with <c>/</c> separators.</param>
/// <param name="Line">1-based line of the value.</param>
/// <param name="Field">What was set (<c>images[web].digest</c>, <c>containers[api].image</c>, <c>$imagepolicy ns:p:tag</c>).</param>
/// <param name="OldValue">The value before, or null when the key was added.</param>
/// <param name="NewValue">The value after, or null when the key was removed.</param>
internal sealed record SetterChange(string File, int Line, string Field, string? OldValue, string? NewValue);
