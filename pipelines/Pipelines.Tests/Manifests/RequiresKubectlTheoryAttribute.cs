using Pipelines.Tests.Support;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// A theory that needs <c>kubectl</c> (with its built-in kustomize), skipped or failed as
/// <see cref="RequiresKubectlFactAttribute"/> says: never silently passing.
/// </summary>
public sealed class RequiresKubectlTheoryAttribute : TheoryAttribute
{
    public RequiresKubectlTheoryAttribute() => Skip = RequiresKubectlFactAttribute.SkipReason();
}
