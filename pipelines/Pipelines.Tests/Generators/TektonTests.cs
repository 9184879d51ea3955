using System.Text.Json.Nodes;
using Pipelines.Processes;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

public sealed class TektonTests(GeneratedTree tree) : IClassFixture<GeneratedTree>
{
    private static readonly string[] TargetTasks = ["demo-test", "demo-containerize", "demo-scan", "demo-sign", "demo-deploy"];

    private JsonNode Task(string name) => YamlToJson.Parse(tree.Text($"tekton/tasks/{name}.yaml"))!;

    private JsonNode Pipeline => YamlToJson.Parse(tree.Text("tekton/pipeline.yaml"))!;

    private static JsonNode Step(JsonNode task) => task["spec"]!["steps"]!.AsArray().Single()!;

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    private static JsonObject Env(JsonNode step) =>
        new(step["env"]!.AsArray().Select(e => KeyValuePair.Create<string, JsonNode?>(e!["name"]!.GetValue<string>(), e["value"]?.DeepClone() ?? e["valueFrom"]!.DeepClone())));

    [Fact]
    public void Each_target_gets_a_Task_with_one_named_step_running_only_that_target()
    {
        foreach (var (name, target) in TargetTasks.Zip(["Test", "Containerize", "Scan", "Sign", "Deploy"]))
        {
            var step = Step(Task(name));

            Assert.Equal(name["demo-".Length..], step["name"]!.GetValue<string>());
            Assert.Equal(["./build.sh"], Strings(step["command"]));
            Assert.Equal([target, "--skip"], Strings(step["args"]));
            Assert.Equal("$(workspaces.source.path)", step["workingDir"]!.GetValue<string>());
            Assert.Equal("tekton", Env(step)["PIPELINE_HOST"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Secrets_are_never_params_but_env_from_a_Secret()
    {
        var task = Task("demo-containerize");

        // registry lives in the ConfigMap, trivy-cache-dir is the cache workspace: neither is a param.
        Assert.Equal(["dind-image", "push", "severity-threshold"], Strings(new JsonArray(task["spec"]!["params"]!.AsArray().Select(p => p!["name"]!.DeepClone()).ToArray())));
        var secret = Env(Step(task))["PIPELINE_REGISTRY_PASSWORD"]!["secretKeyRef"]!;
        Assert.Equal("demo-secrets", secret["name"]!.GetValue<string>());
        Assert.Equal("PIPELINE_REGISTRY_PASSWORD", secret["key"]!.GetValue<string>());
        Assert.Equal("$(params.push)", Env(Step(task))["PIPELINE_PUSH"]!.GetValue<string>());
        var pipelineParams = Pipeline["spec"]!["params"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("registry-password", pipelineParams);
        Assert.DoesNotContain("signing-key-password", pipelineParams);
    }

    [Fact]
    public void A_parameter_the_configuration_names_as_secret_comes_from_the_Secret_and_GitHub_secrets()
    {
        var configuration = GeneratorTestBuild.Ci with
        {
            SecretParameters = ["Registry"],
            TargetSecrets = new Dictionary<string, IReadOnlyList<string>> { ["Containerize"] = ["Registry", "RegistryPassword"] },
            GitHubWorkflows = [GeneratorTestBuild.Ci.GitHubWorkflows[0] with { RequiredVariables = [] }],
            Tekton = GeneratorTestBuild.Ci.Tekton! with { Settings = new Dictionary<string, string>() },
        };

        var files = new Pipelines.Generators.CiGenerator(Pipelines.Generators.BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root);

        var task = YamlToJson.Parse(files.Single(f => f.RelativePath == "tekton/tasks/demo-containerize.yaml").Content)!;
        Assert.DoesNotContain("registry", task["spec"]!["params"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("PIPELINE_REGISTRY", Env(Step(task))["PIPELINE_REGISTRY"]!["secretKeyRef"]!["key"]!.GetValue<string>());
        Assert.Contains("PIPELINE_REGISTRY: ${{ secrets.PIPELINE_REGISTRY }}", files.Single(f => f.RelativePath == ".github/workflows/deploy.yml").Content);
    }

    [Fact]
    public void Containerize_declares_the_results_Tekton_Chains_signs()
    {
        var results = Strings(new JsonArray(Task("demo-containerize")["spec"]!["results"]!.AsArray().Select(r => r!["name"]!.DeepClone()).ToArray()));

        Assert.Equal(["IMAGE_URL", "IMAGE_DIGEST"], results);
        Assert.Equal("/tekton/results", Env(Step(Task("demo-containerize")))["PIPELINE_RESULTS_DIR"]!.GetValue<string>());
        Assert.Null(Task("demo-scan")["spec"]!["results"]);
    }

    [Fact]
    public void Containerize_talks_to_a_dind_sidecar_over_TLS_with_shared_certificates()
    {
        var spec = Task("demo-containerize")["spec"]!;
        var sidecar = spec["sidecars"]!.AsArray().Single()!;
        var env = Env(Step(Task("demo-containerize")));

        Assert.Equal("$(params.dind-image)", sidecar["image"]!.GetValue<string>());
        Assert.Matches("^docker.io/library/docker:[0-9.]+-dind@sha256:[0-9a-f]{64}$", spec["params"]![0]!["default"]!.GetValue<string>());
        Assert.Equal("tcp://localhost:2376", env["DOCKER_HOST"]!.GetValue<string>());
        Assert.Equal("1", env["DOCKER_TLS_VERIFY"]!.GetValue<string>());
        Assert.Equal("/certs/client", env["DOCKER_CERT_PATH"]!.GetValue<string>());
        Assert.Equal("dind-certs", spec["volumes"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("/certs/client", sidecar["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        Assert.Equal("/certs/client", Step(Task("demo-containerize"))["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        Assert.Null(Task("demo-scan")["spec"]!["sidecars"]);
    }

    [Fact]
    public void Every_step_runs_as_a_non_root_user()
    {
        foreach (var file in tree.Files.Where(f => f.RelativePath.StartsWith("tekton/tasks/")))
            foreach (var step in YamlToJson.Parse(file.Content)!["spec"]!["steps"]!.AsArray())
            {
                Assert.True(step!["securityContext"]!["runAsNonRoot"]!.GetValue<bool>(), file.RelativePath);
                Assert.NotEqual(0, step["securityContext"]!["runAsUser"]!.GetValue<long>());
                Assert.False(step["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
            }
    }

    [Fact]
    public void Every_Task_carries_the_catalog_labels_and_annotations()
    {
        foreach (var file in tree.Files.Where(f => f.RelativePath.StartsWith("tekton/tasks/")))
        {
            var metadata = YamlToJson.Parse(file.Content)!["metadata"]!;
            Assert.Equal("0.1", metadata["labels"]!["app.kubernetes.io/version"]!.GetValue<string>());
            foreach (var annotation in new[] { "tekton.dev/pipelines.minVersion", "tekton.dev/categories", "tekton.dev/tags" })
                Assert.False(string.IsNullOrWhiteSpace(metadata["annotations"]![annotation]?.GetValue<string>()), $"{file.RelativePath}: {annotation}");
        }
    }

    [Fact]
    public void The_Pipeline_clones_first_then_chains_the_targets_by_their_dependencies()
    {
        var tasks = Pipeline["spec"]!["tasks"]!.AsArray();

        Assert.Equal(["fetch-source", "test", "containerize", "scan", "sign", "deploy"], tasks.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("demo-git-clone", tasks[0]!["taskRef"]!["name"]!.GetValue<string>());
        Assert.Equal(["fetch-source"], Strings(tasks[1]!["runAfter"]));
        Assert.Equal(["test"], Strings(tasks[2]!["runAfter"]));
        Assert.Equal(["containerize"], Strings(tasks[3]!["runAfter"]));
        Assert.Equal(["scan"], Strings(tasks[4]!["runAfter"]));
        Assert.Equal(["sign"], Strings(tasks[5]!["runAfter"]));
    }

    [Fact]
    public void The_Pipeline_reports_its_outcome_as_a_commit_status_in_finally()
    {
        var final = Pipeline["spec"]!["finally"]!.AsArray().Single()!;
        var script = Step(Task("demo-report-status"))["script"]!.GetValue<string>();

        var parameters = final["params"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
        Assert.Equal("$(tasks.status)", parameters["state"]);
        // Not the clone's result: a run whose clone failed still reports its status.
        Assert.Equal("$(params.git-revision)", parameters["revision"]);
        Assert.Contains("/repos/$REPOSITORY/statuses/$REVISION", script);
        Assert.Contains("--header @\"$headers\"", script);
        Assert.DoesNotContain("$GITHUB_TOKEN\"", script.Replace("printf 'Authorization: Bearer %s\\n' \"$GITHUB_TOKEN\"", ""));
    }

    [Fact]
    public void The_Pipeline_exposes_the_image_results_for_Chains()
    {
        var results = Pipeline["spec"]!["results"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["value"]!.GetValue<string>());

        Assert.Equal("$(tasks.containerize.results.IMAGE_URL)", results["IMAGE_URL"]);
        Assert.Equal("$(tasks.containerize.results.IMAGE_DIGEST)", results["IMAGE_DIGEST"]);
        Assert.Equal("$(tasks.fetch-source.results.commit)", results["CHAINS-GIT_COMMIT"]);
        Assert.Equal("$(tasks.fetch-source.results.url)", results["CHAINS-GIT_URL"]);
    }

    [Fact]
    public void A_GitHub_push_to_the_branch_triggers_a_PipelineRun()
    {
        var documents = YamlToJson.ParseAll(tree.Text("tekton/triggers.yaml"));
        var listener = documents.Single(d => d["kind"]!.GetValue<string>() == "EventListener");
        var interceptors = listener["spec"]!["triggers"]![0]!["interceptors"]!.AsArray();

        Assert.Equal("github", interceptors[0]!["ref"]!["name"]!.GetValue<string>());
        Assert.Equal("demo-github-webhook", interceptors[0]!["params"]![0]!["value"]!["secretName"]!.GetValue<string>());
        Assert.Equal(["push"], Strings(interceptors[0]!["params"]![1]!["value"]));
        Assert.Equal("body.ref == 'refs/heads/main'", interceptors[1]!["params"]![0]!["value"]!.GetValue<string>());
        var template = documents.Single(d => d["kind"]!.GetValue<string>() == "TriggerTemplate");
        Assert.Equal("PipelineRun", template["spec"]!["resourcetemplates"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void The_Tasks_Pipeline_and_PipelineRun_match_the_Tekton_schemas()
    {
        var task = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "crds", "tekton.dev", "task_v1.json"));
        var pipeline = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "crds", "tekton.dev", "pipeline_v1.json"));
        var pipelineRun = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "crds", "tekton.dev", "pipelinerun_v1.json"));
        var errors = new List<string>();

        foreach (var file in tree.Files.Where(f => f.RelativePath.StartsWith("tekton/tasks/")))
            errors.AddRange(task.Validate(YamlToJson.Parse(file.Content)).Select(e => $"{file.RelativePath}: {e}"));
        errors.AddRange(pipeline.Validate(Pipeline).Select(e => $"pipeline.yaml: {e}"));
        var run = YamlToJson.ParseAll(tree.Text("tekton/triggers.yaml")).Single(d => d["kind"]!.GetValue<string>() == "TriggerTemplate")["spec"]!["resourcetemplates"]![0]!;
        errors.AddRange(pipelineRun.Validate(run).Select(e => $"PipelineRun in triggers.yaml: {e}"));

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void The_PipelineRun_TektonRun_creates_is_the_TriggerTemplates_with_the_params_filled_in()
    {
        var values = new Dictionary<string, string> { ["git-url"] = "https://github.com/acme/demo.git", ["git-revision"] = "abc123", ["github-repository"] = "acme/demo", ["dind-image"] = "dind@sha256:1", ["curl-image"] = "curl@sha256:2" };
        var template = YamlToJson.ParseAll(tree.Text("tekton/triggers.yaml")).Single(d => d["kind"]!.GetValue<string>() == "TriggerTemplate")["spec"]!["resourcetemplates"]![0]!;
        var expected = template.ToJsonString();
        foreach (var (name, value) in values) expected = expected.Replace($"$(tt.params.{name})", value);

        var created = tree.Generator.PipelineRun(tree.Root, values);

        // fsGroup, claims, timeouts and service account: one writer, so the two cannot drift.
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), created.ToJsonString());
        Assert.NotNull(created["spec"]!["timeouts"]!["finally"]);
    }

    [Fact]
    public void The_Task_schema_catches_a_typo_in_a_step()
    {
        var task = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "crds", "tekton.dev", "task_v1.json"));

        var errors = task.Validate(YamlToJson.Parse(tree.Text("tekton/tasks/demo-test.yaml").Replace("workingDir:", "workingDirr:")));

        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task Tekton_lint_finds_nothing_in_the_folder()
    {
        var result = await NpmTools.Find("tekton-lint")
            .WithArguments("--max-warnings", "0", $"{tree.Path("tekton")}/**/*.yaml")
            .ExecuteAsync();

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Tekton_lint_catches_an_undefined_param()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.Combine("task.yaml"), tree.Text("tekton/tasks/demo-scan.yaml").Replace("$(params.push)", "$(params.registri)"));

        var result = await NpmTools.Find("tekton-lint").WithArguments(folder.Combine("*.yaml")).ExecuteAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("registri", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Kustomize_renders_every_resource_into_the_namespace()
    {
        var result = await new Command("kubectl").WithArguments("kustomize", tree.Path("tekton"))
            .WithOutput(OutputMode.Quiet).ExecuteAsync();

        Assert.True(result.ExitCode == 0, result.StandardError);
        var documents = YamlToJson.ParseAll(result.StandardOutput);
        var kinds = documents.Select(d => d["kind"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(7, kinds.Count(k => k == "Task"));
        foreach (var kind in new[] { "Pipeline", "EventListener", "TriggerBinding", "TriggerTemplate", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Namespace", "ConfigMap", "PersistentVolumeClaim" })
            Assert.Contains(kind, kinds);
        Assert.All(documents.Where(d => d["kind"]!.GetValue<string>() is not ("Namespace" or "ClusterRole" or "ClusterRoleBinding")),
            d => Assert.Equal("demo-ci", d["metadata"]!["namespace"]!.GetValue<string>()));
    }

    [Fact]
    public void The_runner_image_pins_the_SDK_from_global_json_and_Trivy_and_runs_non_root()
    {
        var dockerfile = tree.Text("tekton/runner/Dockerfile");

        Assert.Contains("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.100\n", dockerfile);
        Assert.Contains("FROM ${SDK_IMAGE}\n", dockerfile);
        Assert.Contains("ARG TRIVY_VERSION=0.74.0\n", dockerfile);
        Assert.EndsWith("USER 1654\n", dockerfile);
    }
}
