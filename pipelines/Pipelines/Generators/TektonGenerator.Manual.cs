namespace Pipelines.Generators;

/// <summary>
/// The Pipelines started by hand (<see cref="TektonPipeline.ManualTargets"/>: Promote, Rollback): clone, then the one
/// target's Task, in the same Task shape as the main Pipeline's; a TriggerTemplate holding the PipelineRun that
/// <c>./build.sh TektonRun --pipeline &lt;target&gt;</c> submits, and a Role to start and follow them.
/// </summary>
internal sealed partial class TektonGenerator
{
    private readonly IReadOnlyList<TargetShape> _manualTargets;

    /// <summary>The Pipeline of a manual target: <c>&lt;name&gt;-promote</c>.</summary>
    internal static string ManualPipelineName(string name, string target) => $"{name}-{Targets.ParameterDescriptor.ToKebab(target)}";

    /// <summary>The ServiceAccount and Role whose holders may start and follow the manual Pipelines.</summary>
    private string ReleaseAccount => TaskName("release");

    private static IReadOnlyList<TargetShape> ManualTargetsOf(BuildShape build, TektonPipeline pipeline, IReadOnlyList<TargetShape> main)
    {
        var where = $"The Tekton ManualTargets in {CiConfiguration.Where}";
        var targets = new List<TargetShape>();
        foreach (var name in pipeline.ManualTargets)
        {
            var closure = build.Closure([name], where);
            if (closure.Count != 1)
                throw new PipelineException($"{where} names {name}, which depends on {string.Join(", ", closure.SkipLast(1).Select(t => t.Name))}: a manual Pipeline runs one target; name one without dependencies (Promote, Rollback).");
            if (main.Contains(closure[0]))
                throw new PipelineException($"{where} names {name}, which the main Pipeline already runs; leave it out of ManualTargets.");
            targets.Add(closure[0]);
        }
        foreach (var parameter in pipeline.ManualParameters)
            if (!build.Parameters.Any(p => p.MemberName == parameter && !p.IsSecret && !pipeline.Settings.ContainsKey(p.MemberName)))
                throw new PipelineException($"The Tekton ManualParameters in {CiConfiguration.Where} name {parameter}, which is not a Pipeline param (a non-secret parameter outside the ConfigMap).");
        return targets;
    }

    /// <summary>
    /// The params a manual PipelineRun passes: the revision and the <see cref="TektonPipeline.ManualParameters"/>. No git-url:
    /// the repository is the ConfigMap's (<see cref="RepositoryUrlKey"/>), so a caller cannot run another repository's build.sh.
    /// </summary>
    private IReadOnlyList<string> ManualRunParameters =>
        ["git-revision", .. _pipeline.ManualParameters.Select(m => _build.Parameters.Single(p => p.MemberName == m).CliName)];

    private YamlMap ManualPipeline(TargetShape target)
    {
        var parameters = new List<YamlMap>
        {
            Param("git-revision", "The commit (or branch) whose build runs.", _pipeline.Branch),
        };
        parameters.AddRange(PlainParameters.Select(p => Param(p.CliName, ParamDescription(p), "")));
        var task = new YamlMap
        {
            ["name"] = target.KebabName,
            ["runAfter"] = new[] { FetchTask },
            ["taskRef"] = new YamlMap { ["name"] = TaskName(target.KebabName) },
            ["params"] = PlainParameters.Select(p => Value(p.CliName, $"$(params.{p.CliName})")).ToList(),
            ["workspaces"] = new List<YamlMap> { new() { ["name"] = Workspace, ["workspace"] = Workspace } },
        };
        return new YamlMap
        {
            ["apiVersion"] = "tekton.dev/v1",
            ["kind"] = "Pipeline",
            ["metadata"] = Metadata(ManualPipelineName(Name, target.Name), $"{Name} {target.Name}"),
            ["spec"] = new YamlMap
            {
                ["description"] = $"{target.Description ?? target.Name}. Started by hand: ./build.sh TektonRun --pipeline {target.KebabName}.",
                ["params"] = parameters,
                ["workspaces"] = new List<YamlMap> { new() { ["name"] = Workspace, ["description"] = "Holds the checkout the target runs from." } },
                ["results"] = target.Outputs.Select(o => new YamlMap
                {
                    ["name"] = o,
                    ["description"] = $"{o} published by {target.Name}.",
                    ["value"] = $"$(tasks.{target.KebabName}.results.{o})",
                }).ToList() is { Count: > 0 } results ? results : null,
                ["tasks"] = new List<YamlMap> { FetchPipelineTask(configuredUrl: true), task },
            },
        };
    }

    /// <summary>The PipelineRun of the manual Pipeline <paramref name="pipeline"/> (<c>&lt;name&gt;-promote</c>), as its TriggerTemplate holds it.</summary>
    public YamlMap ManualPipelineRun(string pipeline, Func<string, string> value) =>
        _manualTargets.Any(t => ManualPipelineName(Name, t.Name) == pipeline)
            ? PipelineRun(pipeline, ManualRunParameters, caches: false, value)
            : throw new PipelineException($"{pipeline} is not one of the generated manual Pipelines ({string.Join(", ", _manualTargets.Select(t => ManualPipelineName(Name, t.Name)))}).");

    /// <summary>The PipelineRun of a manual Pipeline, as TektonRun submits it and an EventListener of the team's own would.</summary>
    private YamlMap ManualTriggerTemplate(TargetShape target) => new()
    {
        ["apiVersion"] = TriggersApi,
        ["kind"] = "TriggerTemplate",
        ["metadata"] = new YamlMap { ["name"] = ManualPipelineName(Name, target.Name) },
        ["spec"] = new YamlMap
        {
            ["params"] = ManualRunParameters.Select(p => new YamlMap { ["name"] = p }).ToList(),
            ["resourcetemplates"] = new List<YamlMap> { PipelineRun(ManualPipelineName(Name, target.Name), ManualRunParameters, caches: false, p => $"$(tt.params.{p})") },
        },
    };

    /// <summary>
    /// Who may promote or roll back: create PipelineRuns, follow them (their TaskRuns and pods' logs) and cancel them (patch). Bound to the
    /// <c>&lt;name&gt;-release</c> ServiceAccount (a token for automation); bind a team's group to the Role the same way.
    /// Kubernetes RBAC cannot limit a PipelineRun to one Pipeline: the approval is who holds this Role.
    /// </summary>
    private IEnumerable<YamlMap> ReleaseRbacDocuments()
    {
        if (_manualTargets.Count == 0) yield break;
        string[] read = ["get", "list", "watch"];
        yield return new YamlMap
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new YamlMap { ["name"] = ReleaseAccount, ["namespace"] = _pipeline.Namespace },
            // Used from outside the cluster (a kubeconfig with its token); no pod runs as it.
            ["automountServiceAccountToken"] = false,
        };
        yield return new YamlMap
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = new YamlMap { ["name"] = ReleaseAccount, ["namespace"] = _pipeline.Namespace },
            ["rules"] = new List<YamlMap>
            {
                new() { ["apiGroups"] = new[] { "tekton.dev" }, ["resources"] = new[] { "pipelineruns" }, ["verbs"] = new[] { "create", "get", "list", "watch", "patch" } },
                new() { ["apiGroups"] = new[] { "tekton.dev" }, ["resources"] = new[] { "pipelines", "taskruns" }, ["verbs"] = read },
                new() { ["apiGroups"] = new[] { "" }, ["resources"] = new[] { "pods", "pods/log" }, ["verbs"] = new[] { "get", "list" } },
            },
        };
        yield return new YamlMap
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new YamlMap { ["name"] = ReleaseAccount, ["namespace"] = _pipeline.Namespace },
            ["roleRef"] = new YamlMap { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = ReleaseAccount },
            ["subjects"] = new List<YamlMap> { new() { ["kind"] = "ServiceAccount", ["name"] = ReleaseAccount, ["namespace"] = _pipeline.Namespace } },
        };
    }
}
