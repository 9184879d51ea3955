using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipelines.Hosts;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Generators;

/// <summary>
/// A Tekton PipelineRun fails (CouldntGetPipelineResult) when its Pipeline references a result the Task did not
/// write. Every <c>$(tasks.&lt;t&gt;.results.&lt;r&gt;)</c> of the committed tekton/pipeline.yaml is declared by that Task and
/// written on every path: the clone's script writes it, a target declares it with Produces (and the engine writes
/// each declared output when the target ran, its condition skipped it or the cache did: DeclaredOutputsTests), and
/// the real Analyze Task, skipped because no Prometheus is configured, writes its result.
/// </summary>
public sealed partial class ReferencedResultsTests
{
    private static string Repository(params string[] parts) => Path.Combine([TestPaths.RepositoryRoot, .. parts]);

    private static JsonNode Pipeline => YamlToJson.Parse(File.ReadAllText(Repository("tekton", "pipeline.yaml")))!;

    private static JsonNode TaskOf(JsonNode pipelineTask) =>
        YamlToJson.Parse(File.ReadAllText(Repository("tekton", "tasks", pipelineTask["taskRef"]!["name"]!.GetValue<string>() + ".yaml")))!;

    private static JsonNode PipelineTask(string name) =>
        Pipeline["spec"]!["tasks"]!.AsArray().Concat(Pipeline["spec"]!["finally"]?.AsArray() ?? []).Single(t => t!["name"]!.GetValue<string>() == name)!;

    [Fact]
    public void Every_result_the_Pipeline_references_is_declared_by_its_Task_and_written_by_it()
    {
        var references = ResultReference().Matches(File.ReadAllText(Repository("tekton", "pipeline.yaml")))
            .Select(m => (Task: m.Groups["task"].Value, Result: m.Groups["result"].Value)).Distinct().ToList();
        var targets = TargetCatalog.Discover(new global::Build());

        Assert.Contains(("analyze", "ANALYSIS_VERDICT"), references);
        foreach (var (task, result) in references)
        {
            var spec = TaskOf(PipelineTask(task))["spec"]!;
            Assert.Contains(result, spec["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
            var step = spec["steps"]!.AsArray().Single()!;
            if (step["command"]?[0]?.GetValue<string>() == "./build.sh")
            {
                // A target's Task: the engine writes every output the target declares on every path that does not fail.
                var target = step["args"]![0]!.GetValue<string>();
                Assert.True(targets[target].Outputs.Contains(result), $"{task} runs {target}, which does not declare {result} with Produces.");
            }
            else
                Assert.Contains($"> \"$(results.{result}.path)\"", step["script"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_Analyze_Task_without_Prometheus_is_skipped_and_still_writes_its_result()
    {
        using var root = new TempDirectory("analyze-task");
        // The build checks that the committed CI files are current before any Task runs: the repository's own.
        CopyTree(Repository("tekton"), root.Combine("tekton"));
        CopyTree(Repository(".github", "workflows"), root.Combine(".github", "workflows"));
        File.Copy(Repository("global.json"), root.Combine("global.json"));
        var results = root.Combine("results");
        var step = TaskOf(PipelineTask("analyze"))["spec"]!["steps"]![0]!;
        var environment = new Dictionary<string, string>
        {
            ["PIPELINE_HOST"] = "tekton",
            ["PIPELINE_RESULTS_DIR"] = results,
            // What the ConfigMap holds on a cluster without Prometheus: PIPELINE_PROMETHEUS_URL empty.
            ["PIPELINE_REGISTRY"] = "registry.example.test/acme",
            ["PIPELINE_MANIFESTS_REPO"] = "https://git.example.test/acme/manifests.git",
            ["PIPELINE_PROMETHEUS_URL"] = "",
            // The committed runner image is a placeholder until ./build.sh RunnerImage: a local run is allowed to say so.
            [TektonHost.LocalRunnerVariable] = "pipeline-runner:local",
        };
        var output = new StringWriter();

        var exit = await new BuildRunner(new global::Build { RootDirectory = root.Path }, "Test", output, output, environment)
            .RunAsync(step["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList());

        Assert.True(exit == BuildRunner.Success, output.ToString());
        Assert.Contains("Analyze skipped: ", output.ToString());
        Assert.Equal("", File.ReadAllText(Path.Combine(results, "ANALYSIS_VERDICT")));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"\$\(tasks\.(?<task>[a-z0-9-]+)\.results\.(?<result>[A-Za-z0-9_-]+)\)")]
    private static partial Regex ResultReference();
}
