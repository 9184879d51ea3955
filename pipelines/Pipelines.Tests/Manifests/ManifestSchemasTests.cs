using Pipelines.Tests.Support;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.Manifests;

/// <summary>The schema lookup the rendering tests rely on: right file per kind, and no silent pass for unknown kinds.</summary>
public sealed class ManifestSchemasTests
{
    private readonly ManifestSchemas _schemas = ManifestSchemas.Shared();

    [Theory]
    [InlineData("apps/v1", "Deployment", "k8s/deployment-apps-v1.json")]
    [InlineData("v1", "Service", "k8s/service-v1.json")]
    [InlineData("networking.k8s.io/v1", "NetworkPolicy", "k8s/networkpolicy-networking-v1.json")]
    [InlineData("autoscaling/v2", "HorizontalPodAutoscaler", "k8s/horizontalpodautoscaler-autoscaling-v2.json")]
    [InlineData("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "crds/kustomize.toolkit.fluxcd.io/kustomization_v1.json")]
    [InlineData("kyverno.io/v1", "ClusterPolicy", "crds/kyverno.io/clusterpolicy_v1.json")]
    [InlineData("notification.toolkit.fluxcd.io/v1beta3", "Provider", "crds/notification.toolkit.fluxcd.io/provider_v1beta3.json")]
    [InlineData("notification.toolkit.fluxcd.io/v1beta3", "Alert", "crds/notification.toolkit.fluxcd.io/alert_v1beta3.json")]
    public void Each_kind_maps_to_its_schema_file(string apiVersion, string kind, string expected)
    {
        var path = _schemas.PathFor(apiVersion, kind);

        Assert.Equal(TestPaths.SharedFile(["schemas", .. expected.Split('/')]), path);
        Assert.True(File.Exists(path), $"{path} should exist");
    }

    [Fact]
    public void An_object_whose_kind_has_no_schema_is_a_problem()
    {
        var ingress = JsonNode.Parse("""{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"}}""")!.AsObject();

        var problem = Assert.Single(_schemas.Problems([ingress]));

        Assert.Contains("no schema for networking.k8s.io/v1 Ingress", problem);
        Assert.Contains("ingress-networking-v1.json", problem);
    }

    [Fact]
    public void A_misspelled_field_in_a_flux_kustomization_is_a_problem_naming_object_and_path()
    {
        var kustomization = JsonNode.Parse("""
            {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
             "metadata": {"name": "apps", "namespace": "flux-system"},
             "spec": {"interval": "5m", "prune": true, "sourceRef": {"kind": "GitRepository", "name": "gitops"}, "dependOn": [{"name": "infrastructure"}]}}
            """)!.AsObject();

        var problem = Assert.Single(_schemas.Problems([kustomization]));

        Assert.Equal("Kustomization flux-system/apps /spec/dependOn: property 'dependOn' is not allowed here", problem);
    }

    [Fact]
    public void A_provider_type_flux_does_not_have_is_a_problem()
    {
        // DingTalk is the type a team here would guess first; Flux has none, which the manifests README answers.
        var provider = JsonNode.Parse("""
            {"apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Provider",
             "metadata": {"name": "chat", "namespace": "flux-system"},
             "spec": {"type": "dingtalk", "secretRef": {"name": "chat-webhook"}}}
            """)!.AsObject();

        var problem = Assert.Single(_schemas.Problems([provider]));

        Assert.StartsWith("Provider flux-system/chat /spec/type:", problem);
    }
}
