using Pipelines.Processes;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// A theory that needs <c>kubectl</c> (with its built-in kustomize). Where kubectl is not on PATH the cases are
/// reported as skipped, with the reason, instead of silently passing; CI images have it.
/// </summary>
public sealed class RequiresKubectlTheoryAttribute : TheoryAttribute
{
    public RequiresKubectlTheoryAttribute()
    {
        if (Command.Resolve("kubectl") is null)
            Skip = "kubectl is not installed (not on PATH), so manifests cannot be rendered; install kubectl to run this test.";
    }
}
