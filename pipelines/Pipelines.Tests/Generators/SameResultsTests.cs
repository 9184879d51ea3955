using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;
using Pipelines.Workspace;

namespace Pipelines.Tests.Generators;

/// <summary>
/// The proof that a Tekton TaskRun, a GitHub job and ./build.sh do the same thing: each generated target step's command line
/// and environment, exactly as the Task defines them (params resolved the way the Pipeline passes them, secrets
/// from a Secret, result paths pointed at a temp folder), run through the build locally on one shared workspace.
/// </summary>
public sealed partial class SameResultsTests(GeneratedTree tree) : IClassFixture<GeneratedTree>
{
    private static readonly Dictionary<string, string> Secret = new()
    {
        ["PIPELINE_REGISTRY_PASSWORD"] = "registry-password-6b1f",
        ["PIPELINE_SIGNING_KEY_PASSWORD"] = "signing-password-93ad",
        ["PIPELINE_GIT_TOKEN"] = "git-token-51c2",
    };

    /// <summary>What a PipelineRun passes; the other Pipeline params keep their defaults.</summary>
    private static readonly Dictionary<string, string> RunParams = new() { ["push"] = "true" };

    [Fact]
    public async Task Every_Task_writes_results_that_equal_what_the_state_file_holds()
    {
        using var workspace = new TempDirectory("workspace");
        var pipeline = YamlToJson.Parse(tree.Text("tekton/pipeline.yaml"))!["spec"]!;
        var pipelineParams = pipeline["params"]!.AsArray().ToDictionary(
            p => p!["name"]!.GetValue<string>(),
            p => RunParams.GetValueOrDefault(p!["name"]!.GetValue<string>()) ?? p["default"]?.GetValue<string>() ?? "");
        var ran = new List<string>();

        foreach (var pipelineTask in pipeline["tasks"]!.AsArray().Skip(1))
        {
            var name = pipelineTask!["name"]!.GetValue<string>();
            var task = YamlToJson.Parse(tree.Text($"tekton/tasks/{pipelineTask["taskRef"]!["name"]!.GetValue<string>()}.yaml"))!;
            var step = task["spec"]!["steps"]!.AsArray().Single()!;
            var results = workspace.Combine("results", name);
            var taskParams = pipelineTask["params"]!.AsArray().ToDictionary(
                p => p!["name"]!.GetValue<string>(),
                p => Substitute(p!["value"]!.GetValue<string>(), "params", pipelineParams));
            var environment = Environment(step, taskParams, workspace.Path, results, ConfigMap());
            Assert.Equal("$(workspaces.source.path)", step["workingDir"]!.GetValue<string>());
            Assert.Equal("./build.sh", step["command"]![0]!.GetValue<string>());
            var output = new StringWriter();

            // The step's ./build.sh runs the build in the workspace; here the same runner runs the test build there.
            var exit = await new BuildRunner(new GeneratorTestBuild { RootDirectory = workspace.Path }, "Deploy", output, output, environment)
                .RunAsync(step["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList());

            Assert.True(exit == BuildRunner.Success, $"{name} exited {exit}:\n{output}");
            var state = PipelineState.Load(PipelineState.DefaultPath(workspace.Path));
            var declared = task["spec"]!["results"]?.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList() ?? [];
            var written = Directory.Exists(results) ? Directory.GetFiles(results).Select(Path.GetFileName).ToList() : [];
            Assert.Equal(declared.Order(), written.Order()!);
            foreach (var result in declared)
                Assert.Equal(state.Get(result), File.ReadAllText(Path.Combine(results, result)));
            ran.Add(name);
        }

        Assert.Equal(["test", "containerize", "scan", "sign", "deploy"], ran);
        var final = PipelineState.Load(PipelineState.DefaultPath(workspace.Path));
        // The registry comes from the ConfigMap every Task reads (envFrom), not from a param.
        Assert.Equal("registry.example.test/acme/demo", final.Get("IMAGE_URL"));
        Assert.Matches("^sha256:[0-9a-f]{64}$", final.Get("IMAGE_DIGEST"));
        var everything = string.Join("\n", Directory.EnumerateFiles(workspace.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.All(Secret.Values, secret => Assert.DoesNotContain(secret, everything));
    }

    [Fact]
    public async Task The_GitHub_job_publishes_step_outputs_equal_to_what_the_state_file_holds()
    {
        using var workspace = new TempDirectory("workspace");
        var step = YamlToJson.Parse(tree.Text(".github/workflows/deploy.yml"))!["jobs"]!["deploy"]!["steps"]!.AsArray()
            .Single(s => s!["run"]?.GetValue<string>().StartsWith("./build.sh ") == true)!;
        var run = step["run"]!.GetValue<string>();
        Assert.DoesNotContain("'", run);
        var outputs = workspace.Combine("github-output");
        // GitHub evaluates ${{ secrets.X }} from the repository's secrets and ${{ vars.X }} to "" when unset.
        var repositorySecrets = new Dictionary<string, string> { ["GITHUB_TOKEN"] = Secret["PIPELINE_REGISTRY_PASSWORD"], ["PIPELINE_SIGNING_KEY_PASSWORD"] = Secret["PIPELINE_SIGNING_KEY_PASSWORD"], ["PIPELINE_GIT_TOKEN"] = Secret["PIPELINE_GIT_TOKEN"] };
        var environment = step["env"]!.AsObject().ToDictionary(
            e => e.Key,
            e => Expression().Replace(e.Value!.GetValue<string>(), m => m.Groups["prefix"].Value == "secrets" ? repositorySecrets[m.Groups["name"].Value] : ""));
        environment["GITHUB_ACTIONS"] = "true";
        environment["GITHUB_OUTPUT"] = outputs;
        var output = new StringWriter();

        var exit = await new BuildRunner(new GeneratorTestBuild { RootDirectory = workspace.Path }, "Deploy", output, output, environment)
            .RunAsync(run.Split(' ')[1..]);

        Assert.True(exit == BuildRunner.Success, output.ToString());
        var state = PipelineState.Load(PipelineState.DefaultPath(workspace.Path));
        var published = File.ReadAllLines(outputs).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["IMAGE_URL", "IMAGE_DIGEST", "SIGNATURE_DIGEST", "MANIFESTS_COMMIT"], published.Keys);
        Assert.All(published, p => Assert.Equal(state.Get(p.Key), p.Value));
        Assert.Equal("127.0.0.1:5000/demo", published["IMAGE_URL"]);
    }

    [GeneratedRegex(@"\$\{\{ (?<prefix>secrets|vars)\.(?<name>[A-Z0-9_]+) \}\}")]
    private static partial Regex Expression();

    /// <summary>The generated ConfigMap's data: what <c>envFrom</c> gives every step.</summary>
    private Dictionary<string, string> ConfigMap() =>
        YamlToJson.Parse(tree.Text("tekton/config.yaml"))!["data"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());

    /// <summary>The step's env as the kubelet would set it after Tekton's substitution: envFrom first, env over it.</summary>
    private static Dictionary<string, string> Environment(JsonNode step, IReadOnlyDictionary<string, string> taskParams, string workspace, string results, IReadOnlyDictionary<string, string> configMap)
    {
        Assert.Equal("demo-config", step["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>());
        var environment = new Dictionary<string, string>(configMap);
        foreach (var variable in step["env"]!.AsArray())
        {
            var name = variable!["name"]!.GetValue<string>();
            if (variable["valueFrom"]?["secretKeyRef"] is { } secretRef)
            {
                environment[name] = Secret[secretRef["key"]!.GetValue<string>()];
                continue;
            }
            var value = variable["value"]!.GetValue<string>();
            value = Substitute(value, "params", taskParams);
            // The optional cache workspace is not bound here: its path is empty, and the build's default applies.
            value = value.Replace("$(workspaces.source.path)", workspace).Replace("$(workspaces.trivy-cache.path)", "").Replace("$(workspaces.target-cache.path)", "")
                .Replace("$(context.taskRun.name)", "demo-run-task")
                .Replace("$(context.taskRun.namespace)", "demo-ci");
            // $(results.<NAME>.path) is /tekton/results/<NAME>: the folder moves to the temp one.
            if (name == "PIPELINE_RESULTS_DIR") value = value == "/tekton/results" ? results : throw new InvalidOperationException(value);
            Assert.DoesNotContain("$(", value);
            environment[name] = value;
        }
        return environment;
    }

    private static string Substitute(string text, string prefix, IReadOnlyDictionary<string, string> values) =>
        Reference().Replace(text, m => m.Groups["prefix"].Value == prefix ? values[m.Groups["name"].Value] : m.Value);

    [GeneratedRegex(@"\$\((?<prefix>[a-z]+)\.(?<name>[A-Za-z0-9_-]+)\)")]
    private static partial Regex Reference();
}
