using System.Text.Json.Nodes;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// For every container of every workload each overlay renders: the security settings, probes, resources and
/// writable /tmp the template promises, so a later edit cannot silently drop one.
/// </summary>
public sealed class WorkloadHardeningTests(RenderedManifests rendered) : IClassFixture<RenderedManifests>
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task Every_container_runs_non_root_read_only_without_privileges(string overlay)
    {
        foreach (var (workload, pod, container) in await ContainersAsync(overlay))
        {
            var where = $"{overlay}: {workload} container {container["name"]}";
            var security = container["securityContext"];
            var podSecurity = pod["securityContext"];
            Assert.True(Flag(security?["runAsNonRoot"]) ?? Flag(podSecurity?["runAsNonRoot"]) ?? false, $"{where} must set runAsNonRoot: true");
            Assert.True(Flag(security?["readOnlyRootFilesystem"]) == true, $"{where} must set readOnlyRootFilesystem: true");
            Assert.True(Flag(security?["allowPrivilegeEscalation"]) == false, $"{where} must set allowPrivilegeEscalation: false");
            Assert.True(Strings(security?["capabilities"]?["drop"]).Contains("ALL"), $"{where} must drop ALL capabilities");
            Assert.True(Strings(security?["capabilities"]?["add"]).Count == 0, $"{where} must not add capabilities");
            var seccomp = (string?)security?["seccompProfile"]?["type"] ?? (string?)podSecurity?["seccompProfile"]?["type"];
            Assert.True(seccomp == "RuntimeDefault", $"{where} must use the RuntimeDefault seccomp profile, has {seccomp ?? "none"}");
            Assert.True(Flag(security?["privileged"]) != true, $"{where} must not be privileged");
        }
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task Every_container_has_probes_on_the_http_port_and_bounded_resources(string overlay)
    {
        foreach (var (workload, _, container) in await ContainersAsync(overlay, includeInit: false))
        {
            var where = $"{overlay}: {workload} container {container["name"]}";
            AssertHttpProbe(container, "readinessProbe", "/readyz", where);
            AssertHttpProbe(container, "livenessProbe", "/healthz", where);
            AssertHttpProbe(container, "startupProbe", null, where);
            foreach (var bound in new[] { "requests", "limits" })
            foreach (var resource in new[] { "cpu", "memory" })
                Assert.True(container["resources"]?[bound]?[resource] is not null, $"{where} must set resources.{bound}.{resource}");
        }
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task Every_container_writes_temporary_files_to_an_empty_dir(string overlay)
    {
        foreach (var (workload, pod, container) in await ContainersAsync(overlay))
        {
            var mount = container["volumeMounts"]?.AsArray().FirstOrDefault(m => (string?)m?["mountPath"] == "/tmp");
            Assert.True(mount is not null, $"{overlay}: {workload} container {container["name"]} must mount a volume at /tmp");
            var volume = pod["volumes"]?.AsArray().FirstOrDefault(v => (string?)v?["name"] == (string?)mount!["name"]);
            Assert.True(volume?["emptyDir"] is not null, $"{overlay}: {workload} /tmp volume must be an emptyDir");
        }
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task Every_pod_spreads_over_zones_and_nodes_pulls_with_the_acr_secret_and_mounts_no_token(string overlay)
    {
        foreach (var (workload, pod) in await PodsAsync(overlay))
        {
            var keys = pod["topologySpreadConstraints"]?.AsArray().Select(c => (string?)c?["topologyKey"]).ToList() ?? [];
            Assert.True(keys.Contains("topology.kubernetes.io/zone") && keys.Contains("kubernetes.io/hostname"), $"{overlay}: {workload} must spread across zones and nodes, spreads over [{string.Join(", ", keys)}]");
            Assert.Contains("aliyun-acr-secret", pod["imagePullSecrets"]?.AsArray().Select(s => (string?)s?["name"]) ?? []);
            Assert.True(Flag(pod["automountServiceAccountToken"]) == false, $"{overlay}: {workload} must set automountServiceAccountToken: false");
        }
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task The_autoscaler_alone_sets_the_replica_count_of_the_deployment_it_targets(string overlay)
    {
        var deployment = await rendered.SingleAsync(overlay, "Deployment");
        var autoscaler = await rendered.SingleAsync(overlay, "HorizontalPodAutoscaler");

        Assert.Equal("autoscaling/v2", (string?)autoscaler["apiVersion"]);
        Assert.Equal((string?)deployment["metadata"]!["name"], (string?)autoscaler["spec"]!["scaleTargetRef"]!["name"]);
        // A replicas field would be re-applied by every Flux reconcile and undo the autoscaler's scale-ups.
        Assert.Null(deployment["spec"]!["replicas"]);
        Assert.True((int)autoscaler["spec"]!["minReplicas"]! >= 1);
        Assert.True((int)autoscaler["spec"]!["maxReplicas"]! >= (int)autoscaler["spec"]!["minReplicas"]!);
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task Network_ingress_is_open_only_on_the_port_the_service_targets(string overlay)
    {
        var deployment = await rendered.SingleAsync(overlay, "Deployment");
        var service = await rendered.SingleAsync(overlay, "Service");
        var policy = await rendered.SingleAsync(overlay, "NetworkPolicy");
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;

        var targets = service["spec"]!["ports"]!.AsArray().Select(p => ResolvePort(container, p!["targetPort"])).ToHashSet();
        var rules = policy["spec"]!["ingress"]!.AsArray();
        var allowed = rules.SelectMany(r => r!["ports"]?.AsArray() ?? []).Select(p => ResolvePort(container, p!["port"])).ToHashSet();

        Assert.Contains("Ingress", Strings(policy["spec"]!["policyTypes"]));
        Assert.All(rules, r => Assert.True(r!["ports"] is JsonArray { Count: > 0 }, $"{overlay}: every ingress rule must name ports"));
        Assert.Equal(targets, allowed);
        Assert.Equal(deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString(), policy["spec"]!["podSelector"]!["matchLabels"]!.ToJsonString());
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task A_disruption_budget_and_a_tokenless_service_account_come_with_the_deployment(string overlay)
    {
        var deployment = await rendered.SingleAsync(overlay, "Deployment");
        var budget = await rendered.SingleAsync(overlay, "PodDisruptionBudget");
        var account = await rendered.SingleAsync(overlay, "ServiceAccount", (string?)deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]);

        Assert.Equal(deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString(), budget["spec"]!["selector"]!["matchLabels"]!.ToJsonString());
        Assert.False(Flag(account["automountServiceAccountToken"]) ?? true, $"{overlay}: the ServiceAccount must set automountServiceAccountToken: false");
    }

    [RequiresKubectlTheory]
    [InlineData("apps/shortlink/base")]
    public async Task The_base_runs_at_least_three_replicas_through_its_autoscaler(string folder)
    {
        var deployment = await rendered.SingleAsync(folder, "Deployment");
        var autoscaler = await rendered.SingleAsync(folder, "HorizontalPodAutoscaler");

        Assert.Null(deployment["spec"]!["replicas"]);
        Assert.Equal(3, (int)autoscaler["spec"]!["minReplicas"]!);
    }

    private async Task<List<(string Workload, JsonObject Pod)>> PodsAsync(string overlay)
    {
        var pods = new List<(string, JsonObject)>();
        foreach (var obj in await rendered.Of(overlay))
        {
            if (!WorkloadKinds.Contains((string?)obj["kind"])) continue;
            var template = (string?)obj["kind"] == "CronJob" ? obj["spec"]?["jobTemplate"]?["spec"]?["template"] : obj["spec"]?["template"];
            pods.Add((Kustomize.Describe(obj), template?["spec"] as JsonObject ?? throw new InvalidDataException($"{Kustomize.Describe(obj)} has no pod template")));
        }
        Assert.True(pods.Count > 0, $"{overlay} renders no workload");
        return pods;
    }

    private async Task<List<(string Workload, JsonObject Pod, JsonObject Container)>> ContainersAsync(string overlay, bool includeInit = true)
    {
        var containers = new List<(string, JsonObject, JsonObject)>();
        foreach (var (workload, pod) in await PodsAsync(overlay))
            foreach (var list in includeInit ? new[] { "containers", "initContainers" } : ["containers"])
                foreach (var container in pod[list]?.AsArray() ?? [])
                    containers.Add((workload, pod, container!.AsObject()));
        return containers;
    }

    private static void AssertHttpProbe(JsonObject container, string probe, string? path, string where)
    {
        var get = container[probe]?["httpGet"];
        Assert.True(get is not null, $"{where} must have an HTTP {probe}");
        if (path is not null) Assert.True((string?)get!["path"] == path, $"{where} {probe} must GET {path}, gets {get["path"]}");
        Assert.True(ResolvePort(container, get!["port"]) == 8080, $"{where} {probe} must probe port 8080");
    }

    // A port given by name resolves through the container's named ports, as the kubelet does.
    private static int? ResolvePort(JsonNode container, JsonNode? port) => port?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.Number => (int)port,
        System.Text.Json.JsonValueKind.String => container["ports"]?.AsArray()
            .FirstOrDefault(p => (string?)p?["name"] == (string)port!)?["containerPort"] is { } number ? (int)number : null,
        _ => null,
    };

    private static bool? Flag(JsonNode? node) => node?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.False => false,
        _ => null,
    };

    private static List<string> Strings(JsonNode? node) => node?.AsArray().Select(n => (string)n!).ToList() ?? [];
}
