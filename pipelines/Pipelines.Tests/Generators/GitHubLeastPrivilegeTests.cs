using System.Text.Json.Nodes;
using Pipelines.Generators;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

/// <summary>The GitHub side of issue 11: a pull request's job holds no secret, deploying happens in a protected environment.</summary>
public sealed class GitHubLeastPrivilegeTests(GeneratedTree tree) : IClassFixture<GeneratedTree>
{
    private JsonNode Job(string workflow) => YamlToJson.Parse(tree.Text($".github/workflows/{workflow}.yml"))!["jobs"]![workflow]!;

    private static CiConfiguration With(GitHubWorkflow workflow) => GeneratorTestBuild.Ci with { GitHubWorkflows = [workflow], Tekton = null };

    [Fact]
    public void The_pull_request_job_gets_no_secret_at_all()
    {
        var text = tree.Text(".github/workflows/pull-request.yml");

        Assert.DoesNotContain("secrets.", text);
        Assert.Null(Job("pull-request")["environment"]);
    }

    [Fact]
    public void The_deploying_job_is_bound_to_the_protected_environment_that_holds_its_secrets()
    {
        Assert.Equal("production", Job("deploy")["environment"]!.GetValue<string>());
        Assert.Contains("secrets.PIPELINE_SIGNING_KEY_PASSWORD", tree.Text(".github/workflows/deploy.yml"));
    }

    [Fact]
    public void A_job_given_secrets_without_a_protected_environment_is_refused()
    {
        var configuration = With(GeneratorTestBuild.Ci.GitHubWorkflows[0] with { Environment = null });

        var error = Assert.Throws<PipelineException>(() => new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root));

        Assert.Contains("protected environment", error.Message);
        Assert.Contains("SIGNING_KEY_PASSWORD", error.Message);
    }

    [Fact]
    public void A_pull_request_workflow_bound_to_an_environment_is_refused()
    {
        var configuration = With(GeneratorTestBuild.Ci.GitHubWorkflows[1] with { Environment = "production" });

        var error = Assert.Throws<PipelineException>(() => new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root));

        Assert.Contains("pull requests", error.Message);
    }

    [Fact]
    public void A_missing_required_variable_fails_the_job_first_naming_it()
    {
        var steps = Job("deploy")["steps"]!.AsArray();
        var check = steps[0]!;

        Assert.Equal("Check repository variables", check["name"]!.GetValue<string>());
        Assert.Equal("${{ vars.PIPELINE_REGISTRY }}", check["env"]!["PIPELINE_REGISTRY"]!.GetValue<string>());
        Assert.Contains("for name in PIPELINE_REGISTRY; do", check["run"]!.GetValue<string>());
        Assert.Contains("::error title=Missing repository variable::Set the repository variable $name", check["run"]!.GetValue<string>());
        Assert.Contains("exit \"$missing\"", check["run"]!.GetValue<string>());
        Assert.DoesNotContain(Job("pull-request")["steps"]!.AsArray(), s => s!["name"]!.GetValue<string>() == "Check repository variables");
    }

    [Fact]
    public async Task The_variable_check_fails_when_a_variable_is_empty_and_passes_when_set()
    {
        var script = Job("deploy")["steps"]![0]!["run"]!.GetValue<string>();

        var missing = await new Pipelines.Processes.Command("bash").WithArguments("-c", script).WithEnvironment("PIPELINE_REGISTRY", "").WithOutput(Pipelines.Processes.OutputMode.Quiet).ExecuteAsync();
        var set = await new Pipelines.Processes.Command("bash").WithArguments("-c", script).WithEnvironment("PIPELINE_REGISTRY", "registry.example.test").WithOutput(Pipelines.Processes.OutputMode.Quiet).ExecuteAsync();

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Set the repository variable PIPELINE_REGISTRY", missing.StandardOutput);
        Assert.Equal(0, set.ExitCode);
    }

    [Fact]
    public void The_Trivy_DB_is_cached_once_a_day()
    {
        var steps = Job("deploy")["steps"]!.AsArray();
        var cache = steps.Single(s => s!["name"]!.GetValue<string>() == "Cache the Trivy DB")!;

        Assert.Contains("date -u +%Y-%m-%d", steps.Single(s => s!["id"]?.GetValue<string>() == "today")!["run"]!.GetValue<string>());
        Assert.Equal(".cache/trivy", cache["with"]!["path"]!.GetValue<string>());
        Assert.Equal("trivy-db-${{ steps.today.outputs.day }}", cache["with"]!["key"]!.GetValue<string>());
        Assert.Equal("trivy-db-", cache["with"]!["restore-keys"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("pull-request", "Scan", "runs for pull requests, which get no secret")]
    [InlineData("deploy", "Nope", "TestFailureNotice names Nope, which the build does not declare; valid: Test, Containerize")]
    [InlineData("deploy", "Deploy", "TestFailureNotice Deploy depends on Test, Containerize, Scan, Sign; the notice job must run its one target and nothing else")]
    public void A_test_failure_notice_that_would_reach_a_secret_or_run_more_than_itself_is_refused(string workflow, string target, string message)
    {
        var configuration = With(GeneratorTestBuild.Ci.GitHubWorkflows.Single(w => w.Name == workflow) with { TestFailureNotice = target, TestTargets = ["Test"] });

        var error = Assert.Throws<PipelineException>(() => new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Several_test_targets_reach_the_failure_notice_as_one_comma_joined_value_never_as_targets_to_run()
    {
        var workflow = GeneratorTestBuild.Ci.GitHubWorkflows.Single(w => w.Name == "deploy") with { TestFailureNotice = "Test", TestTargets = ["Test", "Containerize"] };
        // Containerize reads no secret here, so the test job may run it.
        var configuration = With(workflow) with { TargetSecrets = new Dictionary<string, IReadOnlyList<string>> { ["Deploy"] = ["GitToken"] } };

        var file = new CiGenerator(BuildShape.Of(typeof(GeneratorTestBuild)), configuration).Generate(tree.Root).Single();

        var notice = YamlToJson.Parse(file.Content)!["jobs"]!["test-failed"]!;
        Assert.Equal("./build.sh Test --failed-target Test,Containerize", notice["steps"]!.AsArray()[^1]!["run"]!.GetValue<string>());
    }
}
