using Pipelines.Generators;
using Pipelines.Hosts;
using Pipelines.Targets;

namespace Pipelines.Tests.Generators;

/// <summary>Issue 11 item 11: on CI a missing registry or manifests repository stops the run before any target.</summary>
public sealed class CiSettingsCheckTests
{
    private static readonly CiSettingsCheck Check = new(new CiConfiguration("shortlink"));

    private static ExecutionPlan Plan(params string[] targets) => new(targets.Select(t => new PlannedTarget(t, null)).ToList(), [targets[^1]]);

    private static CiSetting[] Missing(string? registry = null, string? manifests = null) =>
    [
        new("REGISTRY", registry, ["Containerize"]),
        new("MANIFESTS_REPO", manifests, ["Deploy"]),
    ];

    [Fact]
    public void On_GitHub_Actions_a_run_without_a_registry_fails_naming_the_repository_variable()
    {
        var host = new GitHubActionsHost(new StringWriter(), new Dictionary<string, string> { ["CI"] = "true" });

        var error = Assert.Throws<PipelineException>(() => Check.Run(Plan("Test", "Containerize", "Deploy"), host, Missing()));

        Assert.Contains("REGISTRY is not set, and Containerize needs it: set the repository variable REGISTRY", error.Message);
        Assert.Contains("MANIFESTS_REPO is not set, and Deploy needs it: set the repository variable MANIFESTS_REPO", error.Message);
        Assert.Contains("developer machine only", error.Message);
    }

    [Fact]
    public void On_Tekton_the_first_Task_already_fails_naming_the_ConfigMap_key()
    {
        var host = new TektonHost(new StringWriter(), new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1" });

        // The Test Task plans Test only; the Pipeline goes on to Containerize and Deploy.
        var error = Assert.Throws<PipelineException>(() => Check.Run(Plan("Test"), host, Missing(), ["Test", "Containerize", "Deploy"]));

        Assert.Contains("set REGISTRY in the ConfigMap shortlink-config", error.Message);
        Assert.Contains("MANIFESTS_REPO", error.Message);
    }

    [Fact]
    public void A_terminal_on_a_CI_machine_is_no_developer_machine()
    {
        var host = new TerminalHost(new StringWriter(), new Dictionary<string, string> { ["CI"] = "true" }, interactive: false);

        var error = Assert.Throws<PipelineException>(() => Check.Run(Plan("Containerize"), host, Missing()));

        Assert.Contains("pass --registry or set the environment variable REGISTRY", error.Message);
    }

    [Fact]
    public void The_fix_names_the_option_without_the_environment_prefix()
    {
        var host = new TerminalHost(new StringWriter(), new Dictionary<string, string> { ["CI"] = "true" }, interactive: false);

        var error = Assert.Throws<PipelineException>(() => Check.Run(Plan("Containerize"), host, [new("PIPELINE_REGISTRY", "", ["Containerize"])]));

        Assert.Contains("pass --registry or set the environment variable PIPELINE_REGISTRY", error.Message);
    }

    [Fact]
    public void A_developer_machine_keeps_the_local_defaults()
    {
        var host = new TerminalHost(new StringWriter(), new Dictionary<string, string>(), interactive: false);

        Check.Run(Plan("Test", "Containerize", "Deploy"), host, Missing());
    }

    [Fact]
    public void CI_runs_with_the_settings_or_without_the_targets_that_need_them()
    {
        var host = new GitHubActionsHost(new StringWriter(), new Dictionary<string, string>());

        Check.Run(Plan("Test", "Containerize", "Deploy"), host, Missing("registry.example.test/acme", "https://git.example.test/acme/manifests.git"));
        Check.Run(Plan("Test", "Scan"), host, Missing());
    }

    [Fact]
    public void A_release_deploys_to_the_last_environment_unless_the_Ci_names_one()
    {
        string[] environments = ["dev=direct", "staging=direct", "prod=pull-request"];

        Assert.Equal("prod", Check.ReleaseEnvironment(environments));
        Assert.Equal("staging", new CiSettingsCheck(new CiConfiguration("shortlink") { ReleaseEnvironment = "staging" }).ReleaseEnvironment(environments));
    }

    [Fact]
    public void A_release_environment_the_environments_lack_is_refused_naming_both_and_the_fix()
    {
        var check = new CiSettingsCheck(new CiConfiguration("shortlink") { ReleaseEnvironment = "production" });

        var error = Assert.Throws<PipelineException>(() => check.ReleaseEnvironment(["dev=direct", "prod=pull-request"]));

        Assert.Contains("ReleaseEnvironment production", error.Message);
        Assert.Contains("(dev, prod)", error.Message);
        Assert.Contains("add production=direct (or =pull-request) to --environments", error.Message);
    }
}
