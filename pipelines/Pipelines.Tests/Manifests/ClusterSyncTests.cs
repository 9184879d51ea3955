using System.Text.Json.Nodes;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// What each <c>clusters/&lt;env&gt;</c> folder tells Flux: watch this repository with a plain GitRepository, apply
/// infrastructure before the environment's overlays (all apps in one layer, <c>environments/&lt;env&gt;</c>), prune
/// and health-check, and accept a signed webhook poke.
/// </summary>
public sealed class ClusterSyncTests(RenderedManifests rendered) : IClassFixture<RenderedManifests>
{
    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Clusters), MemberType = typeof(ManifestFolders))]
    public async Task Every_kustomization_reads_the_folders_git_repository_at_a_path_that_exists(string cluster)
    {
        var source = await rendered.SingleAsync(cluster, "GitRepository");
        var kustomizations = await KustomizationsAsync(cluster);

        Assert.NotNull(source["spec"]!["ref"]!["branch"]);
        Assert.NotEmpty(kustomizations);
        foreach (var k in kustomizations)
        {
            var where = $"{cluster}: {Kustomize.Describe(k)}";
            Assert.True((string?)k["spec"]!["sourceRef"]!["kind"] == "GitRepository" && (string?)k["spec"]!["sourceRef"]!["name"] == (string?)source["metadata"]!["name"],
                $"{where} must read GitRepository {source["metadata"]!["name"]}");
            var path = ((string)k["spec"]!["path"]!).TrimStart('.', '/');
            Assert.True(File.Exists(Path.Combine(ManifestFolders.PathOf(path), "kustomization.yaml")), $"{where} path ./{path} has no kustomization.yaml in manifests/");
        }
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Clusters), MemberType = typeof(ManifestFolders))]
    public async Task Apps_follow_infrastructure_and_every_layer_prunes_times_out_and_checks_health(string cluster)
    {
        var environment = Path.GetFileName(cluster);
        var kustomizations = await KustomizationsAsync(cluster);
        var infrastructure = await rendered.SingleAsync(cluster, "Kustomization", "infrastructure");
        var apps = await rendered.SingleAsync(cluster, "Kustomization", "apps");

        Assert.Equal("./infrastructure", (string?)infrastructure["spec"]!["path"]);
        Assert.Equal($"./environments/{environment}", (string?)apps["spec"]!["path"]);
        Assert.Contains("infrastructure", apps["spec"]!["dependsOn"]?.AsArray().Select(d => (string?)d?["name"]) ?? []);
        Assert.Null(infrastructure["spec"]!["dependsOn"]);
        foreach (var k in kustomizations)
        {
            var where = $"{cluster}: {Kustomize.Describe(k)}";
            var spec = k["spec"]!;
            Assert.True(spec["prune"]?.GetValue<bool>() == true, $"{where} must prune");
            Assert.True(spec["timeout"] is not null, $"{where} must set a timeout");
            Assert.True(spec["wait"]?.GetValue<bool>() == true || spec["healthChecks"] is JsonArray { Count: > 0 }, $"{where} must wait or list health checks");
        }
        Assert.True(apps["spec"]!["wait"]?.GetValue<bool>() == true, "apps must wait, so an applied revision means healthy workloads");
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Clusters), MemberType = typeof(ManifestFolders))]
    public async Task The_apps_layer_applies_every_apps_overlay_for_the_environment_and_nothing_else(string cluster)
    {
        var environment = Path.GetFileName(cluster);
        var apps = await rendered.SingleAsync(cluster, "Kustomization", "apps");
        var layer = ((string)apps["spec"]!["path"]!).TrimStart('.', '/');
        var overlays = ManifestFolders.Overlays().Select((object[] row) => (string)row[0]).Where(o => o.EndsWith($"/overlays/{environment}", StringComparison.Ordinal)).ToList();

        var expected = new List<string>();
        foreach (var overlay in overlays)
            expected.AddRange((await rendered.Of(overlay)).Select(o => o.ToJsonString()));
        var actual = (await rendered.Of(layer)).Select(o => o.ToJsonString()).ToList();

        Assert.True(overlays.Count >= 2, $"expected at least shortlink's and linkcheck's {environment} overlays, found [{string.Join(", ", overlays)}]");
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Clusters), MemberType = typeof(ManifestFolders))]
    public async Task A_generic_hmac_receiver_pokes_the_git_repository_and_no_secret_is_committed(string cluster)
    {
        var source = await rendered.SingleAsync(cluster, "GitRepository");
        var receiver = await rendered.SingleAsync(cluster, "Receiver");

        Assert.Equal("generic-hmac", (string?)receiver["spec"]!["type"]);
        Assert.NotNull(receiver["spec"]!["secretRef"]?["name"]);
        Assert.Contains(receiver["spec"]!["resources"]!.AsArray(), r =>
            (string?)r!["kind"] == "GitRepository" && (string?)r["name"] == (string?)source["metadata"]!["name"]);
        Assert.DoesNotContain(await rendered.Of(cluster), o => (string?)o["kind"] == "Secret");
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Clusters), MemberType = typeof(ManifestFolders))]
    public async Task The_chat_hears_of_every_kustomization_and_git_repository_error_through_a_secret_address(string cluster)
    {
        var environment = Path.GetFileName(cluster);
        var (provider, alert) = await NotificationAsync(cluster, "chat");

        Assert.Contains((string?)provider["spec"]!["type"], ChatProviderTypes);
        Assert.Null(provider["spec"]!["address"]);
        Assert.NotNull(provider["spec"]!["secretRef"]?["name"]);
        Assert.Equal("error", (string?)alert["spec"]!["eventSeverity"]);
        Assert.Equal(["GitRepository/*", "Kustomization/*"], Sources(alert).Order(StringComparer.Ordinal));
        Assert.Equal(environment, (string?)alert["spec"]!["eventMetadata"]?["environment"]);
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Clusters), MemberType = typeof(ManifestFolders))]
    public async Task Every_kustomization_event_sets_a_github_commit_status_named_for_the_environment(string cluster)
    {
        var environment = Path.GetFileName(cluster);
        var (provider, alert) = await NotificationAsync(cluster, "commit-status");
        var expression = (string)provider["spec"]!["commitStatusExpr"]!;

        Assert.Equal("github", (string?)provider["spec"]!["type"]);
        Assert.Matches("^https://github.com/[^/]+/[^/]+$", (string?)provider["spec"]!["address"]);
        Assert.NotNull(provider["spec"]!["secretRef"]?["name"]);
        // Only Kustomization events carry the revision (the commit) a status is set on; info events are the applied ones.
        Assert.Equal(["Kustomization/*"], Sources(alert));
        Assert.Equal("info", (string?)alert["spec"]!["eventSeverity"] ?? "info");
        // The status name reads the environment the Alert adds, so each cluster's status is its own.
        Assert.Contains("event.metadata.environment", expression);
        Assert.Equal(environment, (string?)alert["spec"]!["eventMetadata"]?["environment"]);
    }

    // Flux's notification Provider types that post to a chat (notification-controller docs, "Alerting"); DingTalk and WeCom are not among them.
    private static readonly string[] ChatProviderTypes = ["slack", "msteams", "lark", "googlechat", "discord", "rocket", "webex", "telegram", "matrix", "generic", "generic-hmac"];

    private async Task<(JsonObject Provider, JsonObject Alert)> NotificationAsync(string cluster, string name)
    {
        var alert = await rendered.SingleAsync(cluster, "Alert", name);
        var provider = await rendered.SingleAsync(cluster, "Provider", (string)alert["spec"]!["providerRef"]!["name"]!);
        Assert.Equal("notification.toolkit.fluxcd.io/v1beta3", (string?)alert["apiVersion"]);
        Assert.Equal("notification.toolkit.fluxcd.io/v1beta3", (string?)provider["apiVersion"]);
        return (provider, alert);
    }

    private static List<string> Sources(JsonObject alert) =>
        alert["spec"]!["eventSources"]!.AsArray().Select(s => $"{s!["kind"]}/{s["name"]}").ToList();

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task The_signature_policy_covers_the_image_and_the_namespace_exists_before_the_app(string overlay)
    {
        var infrastructure = await rendered.Of("infrastructure");
        var policy = await rendered.SingleAsync("infrastructure", "ClusterPolicy");
        var deployment = await rendered.SingleAsync(overlay, "Deployment");
        var image = (string)deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!;

        var references = policy["spec"]!["rules"]!.AsArray()
            .SelectMany(rule => rule!["verifyImages"]?.AsArray() ?? [])
            .Where(v => (string?)v!["failureAction"] == "Enforce" && v["required"]?.GetValue<bool>() != false)
            .SelectMany(v => v!["imageReferences"]!.AsArray().Select(r => (string)r!))
            .ToList();

        Assert.True(references.Any(r => Matches(r, image)), $"{overlay}'s image {image} is not covered by an enforced verifyImages rule ({string.Join(", ", references)})");
        Assert.Contains(infrastructure, o => (string?)o["kind"] == "Namespace" && (string?)o["metadata"]!["name"] == (string?)deployment["metadata"]!["namespace"]);
    }

    // Kyverno image references are wildcard patterns: '*' matches any run of characters.
    private static bool Matches(string pattern, string image) =>
        System.Text.RegularExpressions.Regex.IsMatch(image, "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");

    private async Task<List<JsonObject>> KustomizationsAsync(string cluster) =>
        (await rendered.Of(cluster)).Where(o => (string?)o["kind"] == "Kustomization").ToList();
}
