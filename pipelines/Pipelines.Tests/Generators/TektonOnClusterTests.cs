using System.Text.Json.Nodes;
using Pipelines.Generators;
using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

/// <summary>What a real cluster needs from the generated Tekton files (issue 11): one test per defect a first run would hit.</summary>
public sealed class TektonOnClusterTests(GeneratedTree tree) : IClassFixture<GeneratedTree>
{
    private IEnumerable<(string Path, JsonNode Task)> Tasks() =>
        tree.Files.Where(f => f.RelativePath.StartsWith("tekton/tasks/")).Select(f => (f.RelativePath, YamlToJson.Parse(f.Content)!));

    private JsonNode Task(string name) => YamlToJson.Parse(tree.Text($"tekton/tasks/{name}.yaml"))!;

    private JsonNode Pipeline => YamlToJson.Parse(tree.Text("tekton/pipeline.yaml"))!;

    private JsonNode Document(string file, string kind) => YamlToJson.ParseAll(tree.Text(file)).Single(d => d["kind"]!.GetValue<string>() == kind);

    private JsonNode Run => Document("tekton/triggers.yaml", "TriggerTemplate")["spec"]!["resourcetemplates"]![0]!;

    private static JsonNode Step(JsonNode task) => task["spec"]!["steps"]!.AsArray().Single()!;

    private static Dictionary<string, JsonNode> Env(JsonNode step) =>
        step["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!);

    private static readonly string[] TargetTasks = ["demo-test", "demo-containerize", "demo-scan", "demo-sign", "demo-deploy"];

    [Fact]
    public void Every_runner_step_uses_the_configured_runner_image_pinned_by_digest_and_no_placeholder_remains()
    {
        foreach (var name in TargetTasks.Append("demo-git-clone"))
            Assert.Equal(GeneratorTestBuild.PinnedRunner, Step(Task(name))["image"]!.GetValue<string>());
        Assert.All(tree.Files, f => Assert.DoesNotContain("ghcr.io/example", f.Content));
        Assert.True(TektonPipeline.IsPinned(GeneratorTestBuild.PinnedRunner));
        Assert.Null(tree.Generator.RunnerImageProblem);
    }

    [Theory]
    [InlineData("registry.example.test/acme/pipeline-runner:0.1.0")]
    [InlineData("registry.example.test/acme/pipeline-runner")]
    [InlineData("registry.example.test/acme/pipeline-runner@sha256:abc")]
    public void A_runner_image_not_pinned_by_digest_stops_a_Tekton_run_before_any_target(string image)
    {
        var configuration = GeneratorTestBuild.Ci with { Tekton = GeneratorTestBuild.Ci.Tekton! with { RunnerImage = image } };
        var generator = new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration);
        var check = new GeneratedFilesCheck(generator, configuration, "Generate");

        var error = Assert.Throws<PipelineException>(() =>
            check.Run(tree.Root, new ExecutionPlan([], ["Test"]), new TektonHost(new StringWriter(), new Dictionary<string, string>())));

        Assert.Contains(image, error.Message);
        Assert.Contains("./build.sh RunnerImage", error.Message);
        // The override a template repository has, with its C#.
        Assert.Contains("TektonRunnerImage in build/Build.cs: protected override string TektonRunnerImage => \"<registry>/pipeline-runner@sha256:…\";", error.Message);
    }

    [Fact]
    public void A_local_PipelineRun_runs_its_own_runner_image_so_an_unpinned_one_only_warns()
    {
        var configuration = GeneratorTestBuild.Ci with { Tekton = GeneratorTestBuild.Ci.Tekton! with { RunnerImage = "registry.example.test/acme/pipeline-runner:unbuilt" } };
        var generator = new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration);
        var output = new StringWriter();
        var host = new TektonHost(output, new Dictionary<string, string> { [TektonHost.LocalRunnerVariable] = "pipelines.local/tekton-runner:host-tools" });

        // The tree was generated with a pinned runner, so what remains is the ordinary freshness failure.
        var error = Assert.Throws<PipelineException>(() => new GeneratedFilesCheck(generator, configuration, "Generate").Run(tree.Root, new ExecutionPlan([], ["Test"]), host));

        Assert.Contains("not current", error.Message);
        Assert.Contains("WARNING: The Tekton runner image 'registry.example.test/acme/pipeline-runner:unbuilt'", output.ToString());
        Assert.Contains("pipelines.local/tekton-runner:host-tools", output.ToString());
    }

    [Fact]
    public void A_configuration_without_a_runner_image_is_refused_with_the_command_that_builds_one()
    {
        var configuration = GeneratorTestBuild.Ci with { Tekton = GeneratorTestBuild.Ci.Tekton! with { RunnerImage = "" } };

        var error = Assert.Throws<PipelineException>(() => new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root));

        Assert.Contains("./build.sh RunnerImage", error.Message);
    }

    [Fact]
    public void Every_step_that_runs_git_trusts_its_workspace_through_safe_directory()
    {
        foreach (var (name, workspace) in TargetTasks.Select(t => (t, "source")).Append(("demo-git-clone", "output")))
        {
            var env = Env(Step(Task(name)));
            Assert.Equal("1", env["GIT_CONFIG_COUNT"]["value"]!.GetValue<string>());
            Assert.Equal("safe.directory", env["GIT_CONFIG_KEY_0"]["value"]!.GetValue<string>());
            Assert.Equal($"$(workspaces.{workspace}.path)", env["GIT_CONFIG_VALUE_0"]["value"]!.GetValue<string>());
        }
        Assert.Contains("git config --system --add safe.directory /workspace/source", tree.Text("tekton/runner/Dockerfile"));
    }

    [Fact]
    public void Every_target_step_reads_the_settings_ConfigMap_and_no_env_entry_hides_a_setting()
    {
        var config = YamlToJson.Parse(tree.Text("tekton/config.yaml"))!;
        Assert.Equal("demo-config", config["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("registry.example.test/acme", config["data"]!["PIPELINE_REGISTRY"]!.GetValue<string>());

        foreach (var name in TargetTasks)
        {
            var step = Step(Task(name));
            Assert.Equal("demo-config", step["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>());
            // An env entry of the same name would win over envFrom and blank the setting.
            Assert.DoesNotContain("PIPELINE_REGISTRY", Env(step).Keys);
        }
        Assert.DoesNotContain("registry", Pipeline["spec"]!["params"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Every_param_the_trigger_declares_reaches_the_PipelineRun_and_every_run_param_is_a_Pipeline_param()
    {
        var template = Document("tekton/triggers.yaml", "TriggerTemplate")["spec"]!;
        var declared = template["params"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        var passed = Run["spec"]!["params"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
        var pipelineParams = Pipeline["spec"]!["params"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet();

        Assert.Equal(["git-url", "git-revision", "github-repository", "dind-image", "curl-image"], declared);
        Assert.All(declared, p => Assert.Equal($"$(tt.params.{p})", passed[p]));
        Assert.All(passed.Keys, p => Assert.Contains(p, pipelineParams));
        var tasks = Pipeline["spec"]!["tasks"]!.AsArray();
        var containerize = tasks.Single(t => t!["name"]!.GetValue<string>() == "containerize")!;
        Assert.Contains(containerize["params"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "dind-image" && p["value"]!.GetValue<string>() == "$(params.dind-image)");
        var final = Pipeline["spec"]!["finally"]![0]!["params"]!.AsArray();
        Assert.Contains(final, p => p!["name"]!.GetValue<string>() == "curl-image" && p["value"]!.GetValue<string>() == "$(params.curl-image)");
        Assert.Equal("$(params.curl-image)", Step(Task("demo-report-status"))["image"]!.GetValue<string>());
    }

    [Fact]
    public void The_workspace_claims_20Gi_of_the_configured_storage_class()
    {
        var claim = Run["spec"]!["workspaces"]![0]!["volumeClaimTemplate"]!["spec"]!;

        Assert.Equal("alicloud-disk-topology-alltype", claim["storageClassName"]!.GetValue<string>());
        Assert.Equal("20Gi", claim["resources"]!["requests"]!["storage"]!.GetValue<string>());
    }

    [Fact]
    public void The_Tasks_stop_in_time_to_leave_finally_its_share_of_the_run()
    {
        var timeouts = Run["spec"]!["timeouts"]!;

        Assert.Equal("1h0m0s", timeouts["pipeline"]!.GetValue<string>());
        Assert.Equal("55m0s", timeouts["tasks"]!.GetValue<string>());
        Assert.Equal("5m0s", timeouts["finally"]!.GetValue<string>());
    }

    [Fact]
    public void Each_Task_gets_only_the_secrets_its_target_reads()
    {
        string[] Secrets(string task) => Env(Step(Task(task))).Values
            .Where(e => e["valueFrom"]?["secretKeyRef"] is not null)
            .Select(e => e["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>()).ToArray();

        Assert.Empty(Secrets("demo-test"));
        Assert.Equal(["PIPELINE_REGISTRY_PASSWORD"], Secrets("demo-containerize"));
        Assert.Empty(Secrets("demo-scan"));
        Assert.Equal(["PIPELINE_REGISTRY_PASSWORD", "PIPELINE_SIGNING_KEY_PASSWORD"], Secrets("demo-sign"));
        Assert.Equal(["PIPELINE_GIT_TOKEN"], Secrets("demo-deploy"));
    }

    [Fact]
    public void A_target_secret_map_naming_a_plain_parameter_is_refused_with_the_valid_secrets()
    {
        var configuration = GeneratorTestBuild.Ci with { TargetSecrets = new Dictionary<string, IReadOnlyList<string>> { ["Sign"] = ["Push"] } };

        var error = Assert.Throws<PipelineException>(() => new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root));

        Assert.Contains("Push", error.Message);
        Assert.Contains("RegistryPassword", error.Message);
    }

    [Fact]
    public void Every_step_and_sidecar_declares_compute_resources()
    {
        foreach (var (path, task) in Tasks())
            foreach (var container in task["spec"]!["steps"]!.AsArray().Concat(task["spec"]!["sidecars"]?.AsArray() ?? []))
            {
                var resources = container!["computeResources"];
                Assert.True(resources?["requests"]?["cpu"] is not null && resources["requests"]!["memory"] is not null && resources["limits"]?["memory"] is not null, $"{path}: {container["name"]}");
            }
    }

    [Fact]
    public void The_runner_account_pulls_with_the_registry_Secret_and_mounts_no_API_token()
    {
        var runner = YamlToJson.ParseAll(tree.Text("tekton/rbac.yaml")).Single(d => d["metadata"]!["name"]!.GetValue<string>() == "demo-runner");

        Assert.Equal("demo-registry", runner["imagePullSecrets"]![0]!["name"]!.GetValue<string>());
        Assert.False(runner["automountServiceAccountToken"]!.GetValue<bool>());
    }

    [Fact]
    public void The_Trivy_DB_is_kept_between_runs_on_a_claim_the_Scan_Task_mounts()
    {
        var claim = YamlToJson.Parse(tree.Text("tekton/caches.yaml"))!;
        var binding = Run["spec"]!["workspaces"]!.AsArray().Single(w => w!["name"]!.GetValue<string>() == "trivy-cache")!;
        var scan = Task("demo-scan");

        Assert.Equal("demo-trivy-cache", claim["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("demo-trivy-cache", binding["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        Assert.True(scan["spec"]!["workspaces"]!.AsArray().Single(w => w!["name"]!.GetValue<string>() == "trivy-cache")!["optional"]!.GetValue<bool>());
        Assert.Equal("$(workspaces.trivy-cache.path)", Env(Step(scan))["PIPELINE_TRIVY_CACHE_DIR"]["value"]!.GetValue<string>());
        Assert.DoesNotContain("PIPELINE_TRIVY_CACHE_DIR", Env(Step(Task("demo-test"))).Keys);
    }

    [Fact]
    public void The_runner_image_has_what_every_Task_runs_with_checksums_and_mirrorable_bases()
    {
        var dockerfile = tree.Text("tekton/runner/Dockerfile");

        Assert.Contains("ARG NODE_IMAGE=", dockerfile);
        Assert.Contains("COPY --from=node /usr/local/bin/node /usr/local/bin/node", dockerfile);
        Assert.Contains("kubectl.sha256", dockerfile);
        Assert.Contains("ARG TRIVY_SHA256=2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a", dockerfile);
        Assert.Contains("echo \"${TRIVY_SHA256}  ${archive}\" | sha256sum --check --strict", dockerfile);
        Assert.Contains("ARG TRIVY_URL=", dockerfile);
    }
}
