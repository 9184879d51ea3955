using System.Text.Json.Nodes;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// For every container of every workload each overlay renders: the security settings, probes, resources and
/// writable /tmp the template promises, so a later edit cannot silently drop one. Two shapes of app are held to
/// their own rules: a service (its overlay renders a Service: HTTP probes, autoscaler, disruption budget, ingress on
/// the service port) and a worker (no Service: no port, no probe that needs one, a fixed replica count, no ingress).
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
    public async Task Every_container_has_bounded_resources_and_probes_on_the_http_port_or_no_port_at_all(string overlay)
    {
        var serves = await ServesAsync(overlay);
        foreach (var (workload, _, container) in await ContainersAsync(overlay, includeInit: false))
        {
            var where = $"{overlay}: {workload} container {container["name"]}";
            if (serves)
            {
                AssertHttpProbe(container, "readinessProbe", "/readyz", where);
                AssertHttpProbe(container, "livenessProbe", "/healthz", where);
                AssertHttpProbe(container, "startupProbe", null, where);
            }
            else
            {
                // A worker listens on nothing: a declared port or a network probe would be a promise it cannot keep.
                Assert.True(container["ports"] is null or JsonArray { Count: 0 }, $"{where} renders no Service, so it must declare no ports");
                foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
                foreach (var handler in new[] { "httpGet", "tcpSocket", "grpc" })
                    Assert.True(container[probe]?[handler] is null, $"{where} has no port, so its {probe} cannot use {handler}");
            }
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
        var scaled = await ScaledAsync(overlay);
        foreach (var (workload, pod) in await PodsAsync(overlay))
        {
            var keys = pod["topologySpreadConstraints"]?.AsArray().Select(c => (string?)c?["topologyKey"]).ToList() ?? [];
            // Spreading is about replicas; a workload that runs one pod by design has nothing to spread.
            if (scaled.Contains(workload))
                Assert.True(keys.Contains("topology.kubernetes.io/zone") && keys.Contains("kubernetes.io/hostname"), $"{overlay}: {workload} must spread across zones and nodes, spreads over [{string.Join(", ", keys)}]");
            Assert.Contains("aliyun-acr-secret", pod["imagePullSecrets"]?.AsArray().Select(s => (string?)s?["name"]) ?? []);
            Assert.True(Flag(pod["automountServiceAccountToken"]) == false, $"{overlay}: {workload} must set automountServiceAccountToken: false");
        }
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task The_autoscaler_alone_sets_the_replica_count_of_a_service_and_a_worker_declares_its_own(string overlay)
    {
        var deployment = await rendered.SingleAsync(overlay, "Deployment");
        if (!await ServesAsync(overlay))
        {
            Assert.DoesNotContain(await rendered.Of(overlay), o => (string?)o["kind"] == "HorizontalPodAutoscaler");
            Assert.True(deployment["spec"]!["replicas"] is { } replicas && (int)replicas >= 1, $"{overlay}: a worker's Deployment must declare its replicas");
            return;
        }
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
    public async Task Network_ingress_is_open_only_on_the_port_the_service_targets_and_closed_for_a_worker(string overlay)
    {
        var deployment = await rendered.SingleAsync(overlay, "Deployment");
        var policy = await rendered.SingleAsync(overlay, "NetworkPolicy");
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString(), policy["spec"]!["podSelector"]!["matchLabels"]!.ToJsonString());
        if (!await ServesAsync(overlay))
        {
            // Ingress listed with no rule denies every connection; egress is limited to rules that each name ports.
            Assert.Contains("Ingress", Strings(policy["spec"]!["policyTypes"]));
            Assert.True(policy["spec"]!["ingress"] is null or JsonArray { Count: 0 }, $"{overlay}: a worker's NetworkPolicy must allow no ingress");
            Assert.Contains("Egress", Strings(policy["spec"]!["policyTypes"]));
            var egress = policy["spec"]!["egress"]?.AsArray() ?? [];
            Assert.NotEmpty(egress);
            Assert.All(egress, r => Assert.True(r!["ports"] is JsonArray { Count: > 0 } && r["to"] is JsonArray { Count: > 0 }, $"{overlay}: every egress rule must name destinations and ports"));
            return;
        }
        var service = await rendered.SingleAsync(overlay, "Service");

        var targets = service["spec"]!["ports"]!.AsArray().Select(p => ResolvePort(container, p!["targetPort"])).ToHashSet();
        var rules = policy["spec"]!["ingress"]!.AsArray();
        var allowed = rules.SelectMany(r => r!["ports"]?.AsArray() ?? []).Select(p => ResolvePort(container, p!["port"])).ToHashSet();

        Assert.Contains("Ingress", Strings(policy["spec"]!["policyTypes"]));
        Assert.All(rules, r => Assert.True(r!["ports"] is JsonArray { Count: > 0 }, $"{overlay}: every ingress rule must name ports"));
        Assert.Equal(targets, allowed);
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task A_tokenless_service_account_and_for_a_service_a_disruption_budget_come_with_the_deployment(string overlay)
    {
        var deployment = await rendered.SingleAsync(overlay, "Deployment");
        var account = await rendered.SingleAsync(overlay, "ServiceAccount", (string?)deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]);

        if (await ServesAsync(overlay))
        {
            var budget = await rendered.SingleAsync(overlay, "PodDisruptionBudget");
            Assert.Equal(deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString(), budget["spec"]!["selector"]!["matchLabels"]!.ToJsonString());
        }
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

    // A service's overlay renders a Service; a worker's renders none.
    private async Task<bool> ServesAsync(string overlay) => (await rendered.Of(overlay)).Any(o => (string?)o["kind"] == "Service");

    // The workloads (as Kustomize.Describe names them) that may run more than one pod: an autoscaler targets them or they declare replicas > 1.
    private async Task<HashSet<string>> ScaledAsync(string overlay)
    {
        var objects = await rendered.Of(overlay);
        var targets = objects.Where(o => (string?)o["kind"] == "HorizontalPodAutoscaler")
            .Select(a => ((string?)a["spec"]?["scaleTargetRef"]?["kind"], (string?)a["spec"]?["scaleTargetRef"]?["name"])).ToHashSet();
        return objects.Where(o => WorkloadKinds.Contains((string?)o["kind"]))
            .Where(o => targets.Contains(((string?)o["kind"], (string?)o["metadata"]?["name"])) || (o["spec"]?["replicas"] is { } r && (int)r > 1))
            .Select(Kustomize.Describe).ToHashSet();
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
