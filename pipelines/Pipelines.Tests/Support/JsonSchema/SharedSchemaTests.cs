using System.Text.Json.Nodes;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>The validator on the real schemas in <c>../shared/schemas</c>: a correct document passes, a broken one is rejected where it is broken.</summary>
public sealed class SharedSchemaTests
{
    private static JsonSchemaValidator Schema(params string[] parts) => JsonSchemaValidator.Load(TestPaths.SharedFile(["schemas", .. parts]));

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shortlink
          labels: {app: shortlink}
        spec:
          replicas: 3
          selector:
            matchLabels: {app: shortlink}
          strategy:
            rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}
          template:
            metadata:
              labels: {app: shortlink}
            spec:
              containers:
                - name: app
                  image: registry.example/shortlink:1.0.0
                  imagePullPolicy: IfNotPresent
                  ports:
                    - containerPort: 8080
                  readinessProbe:
                    httpGet: {path: /readyz, port: http}
                  resources:
                    requests: {cpu: 100m, memory: 64Mi}
                    limits: {cpu: 1, memory: 128Mi}
        """;

    [Fact]
    public void A_correct_deployment_passes_the_strict_kubernetes_schema()
    {
        var errors = Schema("k8s", "deployment-apps-v1.json").Validate(YamlToJson.Parse(Deployment));

        Assert.Empty(errors);
    }

    [Fact]
    public void A_misspelled_deployment_field_is_rejected_at_its_path()
    {
        var deployment = YamlToJson.Parse(Deployment.Replace("imagePullPolicy:", "imagePullPolicyy:"));

        var errors = Schema("k8s", "deployment-apps-v1.json").Validate(deployment);

        var error = Assert.Single(errors);
        Assert.Equal("/spec/template/spec/containers/0/imagePullPolicyy", error.InstancePath);
        Assert.Equal("property 'imagePullPolicyy' is not allowed here", error.Message);
    }

    [Theory]
    [InlineData("replicas: 3", "replicas: two", "/spec/replicas")]
    [InlineData("replicas: 3", "replicas: 2.5", "/spec/replicas")]
    [InlineData("kind: Deployment", "kind: Deploy", "/kind")]
    [InlineData("containerPort: 8080", "containerPort: \"8080\"", "/spec/template/spec/containers/0/ports/0/containerPort")]
    [InlineData("maxSurge: 1", "maxSurge: true", "/spec/strategy/rollingUpdate/maxSurge")]
    public void A_deployment_with_a_wrong_value_is_rejected_at_its_path(string good, string bad, string path)
    {
        var deployment = YamlToJson.Parse(Deployment.Replace(good, bad));

        var errors = Schema("k8s", "deployment-apps-v1.json").Validate(deployment);

        Assert.Contains(errors, e => e.InstancePath == path);
    }

    [Fact]
    public void A_flux_git_repository_with_a_branch_field_in_the_wrong_place_is_rejected()
    {
        const string source = """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: {name: flux-system, namespace: flux-system}
            spec:
              interval: 1m
              url: https://example.test/org/repo.git
              ref: {branch: main}
            """;
        var schema = Schema("crds", "source.toolkit.fluxcd.io", "gitrepository_v1.json");

        Assert.Empty(schema.Validate(YamlToJson.Parse(source)));
        Assert.Contains(schema.Validate(YamlToJson.Parse(source + "\n  branch: main")), e => e.InstancePath == "/spec/branch");
    }

    [Fact]
    public void Tekton_compute_resources_accept_an_integer_or_a_quantity_string_but_not_a_boolean()
    {
        var spec = Schema("crds", "tekton.dev", "task_v1.json").At("/properties/spec");
        JsonNode Task(string cpu) => JsonNode.Parse("""{"steps": [{"name": "s", "image": "busybox", "computeResources": {"limits": {"cpu": CPU}}}]}""".Replace("CPU", cpu))!;

        Assert.Empty(spec.Validate(Task("2")));
        Assert.Empty(spec.Validate(Task("\"500m\"")));
        Assert.NotEmpty(spec.Validate(Task("true")));
        Assert.NotEmpty(spec.Validate(Task("\"lots\"")));
    }

    [Fact]
    public void A_sarif_log_passes_the_draft04_schema_and_an_unknown_level_is_rejected()
    {
        const string log = """
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "trivy"}},
              "results": [{"ruleId": "CVE-1", "level": "error", "message": {"text": "bad"}}]}]}
            """;
        var schema = Schema("sarif", "sarif-schema-2.1.0.json");

        Assert.Empty(schema.Validate(JsonNode.Parse(log)));
        Assert.Contains(schema.Validate(JsonNode.Parse(log.Replace("\"error\"", "\"severe\""))), e => e.InstancePath == "/runs/0/results/0/level");
    }

    [Fact]
    public void A_cyclonedx_bom_resolves_the_spdx_schema_beside_it_and_rejects_an_unknown_license()
    {
        const string bom = """
            {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
             "components": [{"type": "library", "name": "left-pad", "version": "1.3.0",
               "licenses": [{"license": {"id": "MIT"}}]}]}
            """;
        var schema = Schema("cyclonedx", "bom-1.6.schema.json");

        Assert.Empty(schema.Validate(JsonNode.Parse(bom)));
        var errors = schema.Validate(JsonNode.Parse(bom.Replace("\"MIT\"", "\"Not-A-License\"")));
        Assert.Contains(errors, e => e.InstancePath == "/components/0/licenses/0/license/id" && e.SchemaPath.EndsWith("/enum"));
    }

    [Fact]
    public void A_github_workflow_read_from_yaml_keeps_its_on_key_and_passes()
    {
        const string workflow = """
            name: ci
            on:
              push: {branches: [main]}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: ./build.sh Test
            """;
        var schema = Schema("github", "github-workflow.json");

        Assert.Empty(schema.Validate(YamlToJson.Parse(workflow)));
        Assert.NotEmpty(schema.Validate(YamlToJson.Parse(workflow.Replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))));
    }

    [Fact]
    public void Every_shared_schema_loads_and_every_pattern_in_it_compiles()
    {
        var files = Directory.GetFiles(TestPaths.SharedFile("schemas"), "*.json", SearchOption.AllDirectories);
        var patterns = new List<string>();

        foreach (var file in files)
        {
            var validator = JsonSchemaValidator.Load(file);
            validator.Validate(JsonNode.Parse("{}"));
            CollectPatterns(JsonNode.Parse(File.ReadAllText(file)), patterns);
        }

        Assert.True(files.Length >= 30, $"expected the shared schemas, found {files.Length} files");
        Assert.All(patterns.Distinct(), p => _ = new System.Text.RegularExpressions.Regex(p));
    }

    private static void CollectPatterns(JsonNode? node, List<string> patterns)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key is "enum" or "const" or "default" or "examples") continue;
                    if (key == "pattern" && value is JsonValue text && text.GetValueKind() == System.Text.Json.JsonValueKind.String) patterns.Add(text.GetValue<string>());
                    if (key == "patternProperties" && value is JsonObject map) patterns.AddRange(map.Select(p => p.Key));
                    CollectPatterns(value, patterns);
                }
                break;
            case JsonArray array:
                foreach (var item in array) CollectPatterns(item, patterns);
                break;
        }
    }

    [Fact]
    public void Yaml_plain_scalars_follow_the_core_schema_and_quoted_ones_stay_strings()
    {
        var node = YamlToJson.Parse("""{on: yes, n: 3, q: "3", f: 1.5, b: true, z: ~, o: off}""")!;

        Assert.Equal("""{"on":"yes","n":3,"q":"3","f":1.5,"b":true,"z":null,"o":"off"}""", node.ToJsonString());
        Assert.Equal(3, (int)node["n"]!);
        Assert.Equal(1.5m, (decimal)node["f"]!);
    }
}
