using Pipelines.Processes;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// A theory that needs <c>kubectl</c> (with its built-in kustomize). Where kubectl is not on PATH the cases are
/// reported as skipped, with the reason, instead of silently passing. Under CI (<c>CI=true</c>, as GitHub Actions
/// sets it) they are never skipped: a runner without kubectl fails them, so the checks cannot vanish unnoticed.
/// </summary>
public sealed class RequiresKubectlTheoryAttribute : TheoryAttribute
{
    public RequiresKubectlTheoryAttribute()
    {
        var underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!underCi && Command.Resolve("kubectl") is null)
            Skip = "kubectl is not installed (not on PATH), so manifests cannot be rendered; install kubectl to run this test.";
    }
}
