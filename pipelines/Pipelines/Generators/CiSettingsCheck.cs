using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Workspace;

namespace Pipelines.Generators;

/// <summary>
/// On a CI host (GitHub Actions, a Tekton TaskRun, anything that is not a developer machine) a setting such as
/// the registry or the manifests repository has no local default: a run without it fails before any target,
/// naming the variable, ConfigMap key or option to set. On a developer machine the local defaults apply.
/// </summary>
internal sealed class CiSettingsCheck(CiConfiguration configuration)
{
    /// <summary>
    /// Throws when a planned target needs a missing setting. On Tekton every Task checks the whole Pipeline's
    /// targets (<paramref name="pipelineTargets"/>), so the first Task already stops a run that could not finish.
    /// </summary>
    public void Run(ExecutionPlan plan, PipelineHost host, IReadOnlyList<CiSetting> settings, IReadOnlyList<string>? pipelineTargets = null)
    {
        if (host.IsDeveloperMachine) return;
        var planned = plan.Names.ToList();
        if (host is TektonHost && pipelineTargets is not null) planned.AddRange(pipelineTargets);
        var problems = settings
            .Where(s => string.IsNullOrWhiteSpace(s.Value))
            .Select(s => (Setting: s, Needed: s.Targets.Where(t => planned.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList()))
            .Where(x => x.Needed.Count > 0)
            .Select(x => $"{x.Setting.EnvironmentName} is not set, and {string.Join(", ", x.Needed)} needs it: {Fix(host, x.Setting.EnvironmentName)}")
            .ToList();
        if (problems.Count > 0)
            throw new PipelineException(string.Join("\n", problems) + "\nThe local defaults (a registry on 127.0.0.1:5000, a bare manifests repository under " + WorkspaceLayout.Relative.GitOps + "/) are for a developer machine only.");
    }

    /// <summary>
    /// The environment a release tag deploys to: <see cref="CiConfiguration.ReleaseEnvironment"/>, else the last of
    /// <paramref name="environments"/> (names, or <c>name=mode</c> entries as <c>--environments</c> takes them). Throws when
    /// the configured one is not among them, naming both and the fix.
    /// </summary>
    public string ReleaseEnvironment(IReadOnlyList<string> environments)
    {
        var names = environments.Select(e => e.Split('=', 2)[0].Trim()).Where(n => n.Length > 0).ToList();
        if (configuration.ReleaseEnvironment is not { Length: > 0 } configured)
            return names.Count > 0 ? names[^1] : throw new PipelineException($"The build declares no environment (--environments is empty), so a release tag has nowhere to deploy: set --environments, or ReleaseEnvironment in {CiConfiguration.Where}.");
        return names.Contains(configured, StringComparer.Ordinal) ? configured
            : throw new PipelineException($"ReleaseEnvironment {configured} in {CiConfiguration.Where} is not one of the environments ({string.Join(", ", names)}): name one of them, or add {configured}=direct (or =pull-request) to --environments.");
    }

    private string Fix(PipelineHost host, string name) => host switch
    {
        GitHubActionsHost => $"set the repository variable {name} (Settings > Secrets and variables > Actions > Variables).",
        TektonHost => $"set {name} in the ConfigMap {configuration.Name}-config (Tekton Settings in {CiConfiguration.Where}, then ./build.sh Generate and kubectl apply -k tekton/).",
        _ => $"pass --{ParameterDescriptor.ToKebab(ToPascal(name))} or set the environment variable {name}.",
    };

    private static string ToPascal(string environmentName) =>
        string.Concat((environmentName.StartsWith(ParameterDescriptor.EnvironmentPrefix, StringComparison.Ordinal) ? environmentName[ParameterDescriptor.EnvironmentPrefix.Length..] : environmentName)
            .Split('_', StringSplitOptions.RemoveEmptyEntries).Select(w => w[..1] + w[1..].ToLowerInvariant()));
}
