namespace Pipelines.Generators;

internal sealed partial class TektonGenerator
{
    private const string TriggersApi = "triggers.tekton.dev/v1beta1";

    private string TriggersAccount => TaskName("triggers");

    private string RunnerAccount => TaskName("runner");

    /// <summary>
    /// The PipelineRun a push creates; also what a test validates against the PipelineRun schema.
    /// <paramref name="value"/> maps a Pipeline parameter to the value it gets.
    /// </summary>
    public YamlMap PipelineRun(Func<string, string> value) => PipelineRun(Name, RunParameters, caches: true, value);

    /// <summary>A PipelineRun of <paramref name="pipeline"/> passing <paramref name="parameters"/>; the caches bound when <paramref name="caches"/>.</summary>
    private YamlMap PipelineRun(string pipeline, IReadOnlyList<string> parameters, bool caches, Func<string, string> value) => new()
    {
        ["apiVersion"] = "tekton.dev/v1",
        ["kind"] = "PipelineRun",
        ["metadata"] = new YamlMap { ["generateName"] = $"{pipeline}-" },
        ["spec"] = new YamlMap
        {
            ["pipelineRef"] = new YamlMap { ["name"] = pipeline },
            ["params"] = parameters.Select(p => Value(p, value(p))).ToList(),
            ["taskRunTemplate"] = new YamlMap
            {
                ["serviceAccountName"] = RunnerAccount,
                // The workspace volume must be writable by the steps' non-root user; the kubelet re-owns a volume only
                // when its root is not already the group's (the 20Gi caches are not walked on every TaskRun).
                ["podTemplate"] = new YamlMap { ["securityContext"] = new YamlMap { ["fsGroup"] = _pipeline.RunnerUserId, ["fsGroupChangePolicy"] = "OnRootMismatch" } },
            },
            // The Tasks stop in time to leave finally its share, so a timed-out run still reports its status.
            ["timeouts"] = new YamlMap
            {
                ["pipeline"] = Duration(_pipeline.Timeout),
                ["tasks"] = Duration(_pipeline.Timeout - _pipeline.FinallyTimeout),
                ["finally"] = Duration(_pipeline.FinallyTimeout),
            },
            ["workspaces"] = new List<YamlMap>
            {
                new()
                {
                    ["name"] = Workspace,
                    ["volumeClaimTemplate"] = new YamlMap { ["spec"] = ClaimSpec(_pipeline.WorkspaceSize) },
                },
            }.Concat((caches ? _pipeline.Caches : []).Select(c => new YamlMap
            {
                ["name"] = c.Name,
                ["persistentVolumeClaim"] = new YamlMap { ["claimName"] = TaskName(c.Name) },
            })).ToList(),
        },
    };

    /// <summary>The params a PipelineRun passes: the source, the status repository and the helper images.</summary>
    private IReadOnlyList<string> RunParameters =>
        PipelineOwnParameters.Where(p => p != "dind-image" || _pipeline.DockerTargets.Count > 0).ToList();

    /// <summary>The default a TriggerTemplate param has: the images' pinned references; none for what the push supplies.</summary>
    private string? RunParameterDefault(string name) => name switch
    {
        "dind-image" => _pipeline.DindImage,
        "curl-image" => _pipeline.StatusImage,
        _ => null,
    };

    private YamlMap[] TriggerDocuments()
    {
        var binding = new YamlMap
        {
            ["apiVersion"] = TriggersApi,
            ["kind"] = "TriggerBinding",
            ["metadata"] = new YamlMap { ["name"] = TaskName("github-push") },
            ["spec"] = new YamlMap
            {
                ["params"] = new List<YamlMap>
                {
                    Value("git-url", "$(body.repository.clone_url)"),
                    Value("git-revision", "$(body.after)"),
                    Value("github-repository", "$(body.repository.full_name)"),
                },
            },
        };
        var template = new YamlMap
        {
            ["apiVersion"] = TriggersApi,
            ["kind"] = "TriggerTemplate",
            ["metadata"] = new YamlMap { ["name"] = Name },
            ["spec"] = new YamlMap
            {
                ["params"] = RunParameters.Select(p => new YamlMap { ["name"] = p, ["default"] = RunParameterDefault(p) }).ToList(),
                ["resourcetemplates"] = new List<YamlMap> { PipelineRun(p => $"$(tt.params.{p})") },
            },
        };
        var listener = new YamlMap
        {
            ["apiVersion"] = TriggersApi,
            ["kind"] = "EventListener",
            ["metadata"] = new YamlMap { ["name"] = TaskName("github") },
            ["spec"] = new YamlMap
            {
                ["serviceAccountName"] = TriggersAccount,
                ["triggers"] = new List<YamlMap>
                {
                    new()
                    {
                        ["name"] = "github-push",
                        ["interceptors"] = new List<YamlMap>
                        {
                            // Checks GitHub's HMAC signature with the webhook secret, and the event type.
                            new()
                            {
                                ["ref"] = new YamlMap { ["name"] = "github" },
                                ["params"] = new List<YamlMap>
                                {
                                    new()
                                    {
                                        ["name"] = "secretRef",
                                        ["value"] = new YamlMap { ["secretName"] = WebhookSecretName, ["secretKey"] = "secretToken" },
                                    },
                                    new() { ["name"] = "eventTypes", ["value"] = new[] { "push" } },
                                },
                            },
                            new()
                            {
                                ["ref"] = new YamlMap { ["name"] = "cel" },
                                ["params"] = new List<YamlMap> { Value("filter", $"body.ref == 'refs/heads/{_pipeline.Branch}'") },
                            },
                        },
                        ["bindings"] = new List<YamlMap> { new() { ["ref"] = TaskName("github-push") } },
                        ["template"] = new YamlMap { ["ref"] = Name },
                    },
                },
            },
        };
        return [binding, template, listener];
    }

    /// <summary>
    /// Least rights: the EventListener reads its Triggers objects and creates PipelineRuns; the runner
    /// (every Task pod) needs nothing from the Kubernetes API, so it gets no token at all, only the registry
    /// Secret to pull the runner image with (Tekton Chains pushes signatures with the same Secret).
    /// </summary>
    private YamlMap[] RbacDocuments()
    {
        YamlMap Account(string name, bool token, string? pullSecret = null) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new YamlMap { ["name"] = name, ["namespace"] = _pipeline.Namespace },
            ["automountServiceAccountToken"] = token,
            ["imagePullSecrets"] = pullSecret is null ? null : new List<YamlMap> { new() { ["name"] = pullSecret } },
            ["secrets"] = pullSecret is null ? null : new List<YamlMap> { new() { ["name"] = pullSecret } },
        };
        YamlMap Rule(string group, string[] resources, string[] verbs) => new()
        {
            ["apiGroups"] = new[] { group },
            ["resources"] = resources,
            ["verbs"] = verbs,
        };
        YamlMap Binding(string kind, string roleKind, string name) => new()
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = kind == "RoleBinding" ? new YamlMap { ["name"] = name, ["namespace"] = _pipeline.Namespace } : new YamlMap { ["name"] = name },
            ["roleRef"] = new YamlMap { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = name },
            ["subjects"] = new List<YamlMap>
            {
                new() { ["kind"] = "ServiceAccount", ["name"] = TriggersAccount, ["namespace"] = _pipeline.Namespace },
            },
        };
        string[] read = ["get", "list", "watch"];
        var clusterName = $"{Name}-{_pipeline.Namespace}-triggers";
        return
        [
            Account(TriggersAccount, token: true),
            Account(RunnerAccount, token: false, RegistrySecretName),
            new YamlMap
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "Role",
                ["metadata"] = new YamlMap { ["name"] = TriggersAccount, ["namespace"] = _pipeline.Namespace },
                ["rules"] = new List<YamlMap>
                {
                    Rule("triggers.tekton.dev", ["eventlisteners", "triggerbindings", "triggertemplates", "triggers", "interceptors"], read),
                    Rule("tekton.dev", ["pipelineruns"], ["create"]),
                    Rule("", ["configmaps"], read),
                    Rule("", ["events"], ["create", "patch"]),
                },
            },
            Binding("RoleBinding", "Role", TriggersAccount),
            // Interceptors such as github and cel are cluster-scoped: reading them needs a ClusterRole.
            new YamlMap
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRole",
                ["metadata"] = new YamlMap { ["name"] = clusterName },
                ["rules"] = new List<YamlMap> { Rule("triggers.tekton.dev", ["clustertriggerbindings", "clusterinterceptors"], read) },
            },
            Binding("ClusterRoleBinding", "ClusterRole", clusterName),
            .. ReleaseRbacDocuments(),
        ];
    }
}
