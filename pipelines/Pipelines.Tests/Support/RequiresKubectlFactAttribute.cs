using Pipelines.Processes;

namespace Pipelines.Tests.Support;

/// <summary>
/// A fact that needs <c>kubectl</c> (with its built-in kustomize): reported as skipped, with the reason, where kubectl is
/// not on PATH, never silently green; under CI (<c>CI=true</c>) never skipped, so a runner without kubectl fails it.
/// </summary>
public sealed class RequiresKubectlFactAttribute : FactAttribute
{
    public RequiresKubectlFactAttribute() => Skip = SkipReason();

    /// <summary>Why a kubectl test is skipped here, or null when it runs (kubectl on PATH, or under CI).</summary>
    internal static string? SkipReason()
    {
        var underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        return !underCi && Command.Resolve("kubectl") is null
            ? "kubectl is not installed (not on PATH), so manifests cannot be rendered; install kubectl to run this test."
            : null;
    }
}
