using System.Text.Json.Nodes;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

/// <summary>The product's committed workflows, read as the owner of a private repository switching them on would read them.</summary>
public sealed class CommittedWorkflowTests
{
    private static JsonNode Workflow(string name) =>
        YamlToJson.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, ".github", "workflows", name + ".yml")))!;

    [Fact]
    public void The_test_suite_runs_with_no_secret_and_only_the_deploy_job_reaches_production()
    {
        var jobs = Workflow("main")["jobs"]!;

        Assert.Equal(["test", "test-failed", "deploy"], jobs.AsObject().Select(j => j.Key));
        Assert.DoesNotContain("secrets.", jobs["test"]!.ToJsonString());
        Assert.Null(jobs["test"]!["environment"]);
        Assert.Equal("production", jobs["deploy"]!["environment"]!.GetValue<string>());
        Assert.Equal("test", jobs["deploy"]!["needs"]!.GetValue<string>());
        Assert.Contains(jobs["deploy"]!["steps"]!.AsArray(), s => s!["run"]?.GetValue<string>() == "./build.sh Deploy Analyze --skip Test");
    }

    [Fact]
    public void A_failed_test_is_told_by_a_job_after_it_that_holds_only_the_webhook_secret_and_runs_only_the_notice()
    {
        var notice = Workflow("main")["jobs"]!["test-failed"]!;
        var steps = notice["steps"]!.AsArray();
        var run = steps.Single(s => s!["run"] is not null)!;

        Assert.Equal("test", notice["needs"]!.GetValue<string>());
        Assert.Equal("failure()", notice["if"]!.GetValue<string>());
        Assert.Null(notice["environment"]);
        Assert.Equal(["contents=read"], notice["permissions"]!.AsObject().Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal("./build.sh NotifyFailure --failed-target Test", run["run"]!.GetValue<string>());
        // Exactly one secret, the webhooks; and nothing of the code under test: no prerequisites, no caches, no tests.
        Assert.Equal(["PIPELINE_NOTIFY=${{ secrets.PIPELINE_NOTIFY }}"],
            run["env"]!.AsObject().Where(e => e.Value!.GetValue<string>().Contains("secrets.")).Select(e => $"{e.Key}={e.Value}"));
        Assert.Equal(["Check out the default branch's build", "Set up .NET", run["name"]!.GetValue<string>()], steps.Select(s => s!["name"]!.GetValue<string>()));
        var checkout = steps[0]!;
        Assert.Equal("${{ github.event.repository.default_branch }}", checkout["with"]!["ref"]!.GetValue<string>());
        Assert.False(checkout["with"]!["persist-credentials"]!.GetValue<bool>());
    }

    [Fact]
    public void Code_scanning_is_opt_in_and_a_pull_request_cannot_write_security_events()
    {
        var deploy = Workflow("main")["jobs"]!["deploy"]!["steps"]!.AsArray();
        var pullRequest = Workflow("pull-request")["jobs"]!["pull-request"]!;

        Assert.Contains(deploy, s => s!["uses"]?.GetValue<string>().StartsWith("github/codeql-action/upload-sarif@") == true
            && s["if"]!.GetValue<string>().Contains("vars.UPLOAD_SARIF == 'true'"));
        Assert.Null(pullRequest["permissions"]!["security-events"]);
        Assert.DoesNotContain("upload-sarif", pullRequest.ToJsonString());
    }
}
