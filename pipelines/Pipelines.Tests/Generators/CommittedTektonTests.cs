using System.Text.Json.Nodes;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

/// <summary>The product's committed tekton/ folder, read as a platform engineer switching it on would read it.</summary>
public sealed class CommittedTektonTests
{
    private static string Repository(params string[] parts) => Path.Combine([TestPaths.RepositoryRoot, .. parts]);

    private static JsonNode Load(params string[] parts) => YamlToJson.Parse(File.ReadAllText(Repository(["tekton", .. parts])))!;

    private static IEnumerable<JsonNode> TargetSteps() =>
        Directory.GetFiles(Repository("tekton", "tasks"), "*.yaml")
            .Select(f => YamlToJson.Parse(File.ReadAllText(f))!["spec"]!["steps"]![0]!)
            .Where(s => s["command"]?[0]?.GetValue<string>() == "./build.sh");

    private static string? Default(JsonNode parameters, string name) =>
        parameters.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!["default"]?.GetValue<string>();

    private static string SecretKey(JsonNode step, string variable) =>
        step["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == variable)!["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>();

    [Fact]
    public void The_clone_authenticates_with_the_Secret_key_the_Deploy_Task_pushes_the_manifests_with()
    {
        var clone = Load("tasks", "shortlink-git-clone.yaml")["spec"]!["steps"]![0]!;
        var deploy = Load("tasks", "shortlink-deploy.yaml")["spec"]!["steps"]![0]!;

        Assert.Equal("PIPELINE_GIT_TOKEN", SecretKey(clone, "GIT_TOKEN"));
        Assert.Equal(SecretKey(deploy, "PIPELINE_GIT_TOKEN"), SecretKey(clone, "GIT_TOKEN"));
        Assert.True(clone["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "GIT_TOKEN")!["valueFrom"]!["secretKeyRef"]!["optional"]!.GetValue<bool>(), "a public repository needs no token");
        Assert.Contains("PIPELINE_GIT_TOKEN", File.ReadAllText(Repository("pipelines", "Pipelines", "Generators", "README.md")));
    }

    [Fact]
    public void The_runner_image_carries_the_docker_CLI_of_the_dind_sidecars_release_pinned_by_digest()
    {
        var dockerfile = File.ReadAllLines(Repository("tekton", "runner", "Dockerfile"));
        var dind = Default(Load("tasks", "shortlink-test.yaml")["spec"]!["params"]!, "dind-image")!;
        var release = System.Text.RegularExpressions.Regex.Match(dind, @":(\d+\.\d+\.\d+)-dind").Groups[1].Value;

        Assert.Contains(dockerfile, line => System.Text.RegularExpressions.Regex.IsMatch(line, $@"^ARG DOCKER_CLI_IMAGE=docker\.io/library/docker:{System.Text.RegularExpressions.Regex.Escape(release)}-cli@sha256:[0-9a-f]{{64}}$"));
        Assert.Contains("FROM ${DOCKER_CLI_IMAGE} AS docker-cli", dockerfile);
        Assert.Contains("COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker", dockerfile);
    }

    [Fact]
    public void The_setup_guides_coschedule_table_and_the_Pipelines_minVersion_agree()
    {
        var minVersion = Load("pipeline.yaml")["metadata"]!["annotations"]!["tekton.dev/pipelines.minVersion"]!.GetValue<string>();
        var guide = File.ReadAllText(Repository("pipelines", "Pipelines", "Generators", "README.md"));

        // The release range that needs both keys starts at the Pipeline's minimum; v1.0.0 dropped disable-affinity-assistant.
        Assert.Contains($"`tekton.dev/pipelines.minVersion: {minVersion}`", guide);
        Assert.Contains($"(this Pipeline: v{minVersion} and later) | `coschedule: pipelineruns` **and** `disable-affinity-assistant: \"true\"`", guide);
        Assert.Contains($"# v{minVersion} – v0.70.x: both keys", guide);
        Assert.Contains("| v1.0.0 and later | `coschedule: pipelineruns` alone", guide);
    }

    [Fact]
    public void The_commit_status_runs_in_the_runner_image_so_a_cluster_mirrors_one_image()
    {
        var runner = TargetSteps().First()["image"]!.GetValue<string>();
        var status = Load("tasks", "shortlink-report-status.yaml")["spec"]!;
        var template = YamlToJson.ParseAll(File.ReadAllText(Repository("tekton", "triggers.yaml"))).Single(d => d["kind"]!.GetValue<string>() == "TriggerTemplate");

        Assert.Equal(runner, Default(status["params"]!, "curl-image"));
        Assert.Equal(runner, Default(Load("pipeline.yaml")["spec"]!["params"]!, "curl-image"));
        Assert.Equal(runner, Default(template["spec"]!["params"]!, "curl-image"));
        var everything = string.Join("\n", Directory.GetFiles(Repository("tekton"), "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain("curlimages", everything);
    }

    [Fact]
    public void The_commit_status_goes_to_the_GitHub_API_the_build_is_configured_with()
    {
        var final = Load("pipeline.yaml")["spec"]!["finally"]![0]!["params"]!.AsArray();
        var script = Load("tasks", "shortlink-report-status.yaml")["spec"]!["steps"]![0]!["script"]!.GetValue<string>();

        Assert.Contains(final, p => p!["name"]!.GetValue<string>() == "github-api-url" && p["value"]!.GetValue<string>() == "$(params.github-api-url)");
        // The Pipeline's param is empty unless set (the build's default): the script falls back to github.com.
        Assert.Equal("", Default(Load("pipeline.yaml")["spec"]!["params"]!, "github-api-url"));
        Assert.Contains("\"${GITHUB_API_URL:-https://api.github.com}/repos/$REPOSITORY/statuses/$REVISION\"", script);
    }

    [Fact]
    public void Every_Task_that_gets_the_registry_password_gets_its_username_from_the_ConfigMap()
    {
        var config = Load("config.yaml")["data"]!.AsObject();
        var withPassword = TargetSteps().Where(s => s["env"]!.AsArray().Any(e => e!["name"]!.GetValue<string>() == "PIPELINE_REGISTRY_PASSWORD")).ToList();

        Assert.True(config.ContainsKey("PIPELINE_REGISTRY_USERNAME"));
        // Containerize, Scan, Sign, Deploy, Analyze and Promote (which verifies the promoted digests in the registry).
        Assert.Equal(6, withPassword.Count);
        Assert.All(withPassword, step =>
        {
            Assert.Equal("shortlink-config", step["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>());
            // An env entry of the same name would win over envFrom and blank the ConfigMap's user.
            Assert.DoesNotContain(step["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "PIPELINE_REGISTRY_USERNAME");
        });
    }

    [Fact]
    public void Scan_gets_the_signing_key_to_attest_a_failing_verdict()
    {
        var env = Load("tasks", "shortlink-scan.yaml")["spec"]!["steps"]![0]!["env"]!.AsArray()
            .Where(e => e!["valueFrom"] is not null).Select(e => e!["name"]!.GetValue<string>());

        Assert.Equal(["PIPELINE_REGISTRY_PASSWORD", "PIPELINE_SIGNING_KEY", "PIPELINE_SIGNING_KEY_PASSWORD"], env);
    }

    [Fact]
    public void Claims_are_re_owned_only_when_their_root_is_not_the_runner_group()
    {
        var template = YamlToJson.ParseAll(File.ReadAllText(Repository("tekton", "triggers.yaml"))).Single(d => d["kind"]!.GetValue<string>() == "TriggerTemplate");
        var security = template["spec"]!["resourcetemplates"]![0]!["spec"]!["taskRunTemplate"]!["podTemplate"]!["securityContext"]!;

        Assert.Equal(1654, security["fsGroup"]!.GetValue<int>());
        Assert.Equal("OnRootMismatch", security["fsGroupChangePolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dind_sidecar_is_ready_only_when_its_daemon_answers_not_when_its_certificates_exist()
    {
        using var certs = new TempDirectory("certs");
        foreach (var file in new[] { "ca.pem", "cert.pem", "key.pem" }) File.WriteAllText(certs.Combine(file), "not a certificate");
        var sidecar = Load("tasks", "shortlink-containerize.yaml")["spec"]!["sidecars"]![0]!;
        var command = sidecar["readinessProbe"]!["exec"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();

        Assert.Equal(["sh", "-c"], command[..2]);
        Assert.Contains("docker version", command[2]);
        // The certificate files exist, but no daemon listens on localhost:2376 here: not ready.
        var probe = await new Pipelines.Processes.Command("sh").WithArguments("-c", command[2].Replace("/certs/client", certs.Path))
            .WithOutput(Pipelines.Processes.OutputMode.Quiet).ExecuteAsync();
        Assert.NotEqual(0, probe.ExitCode);
        Assert.Equal("644", Convert.ToString((int)File.GetUnixFileMode(certs.Combine("key.pem")) & 0x1FF, 8));
    }
}
