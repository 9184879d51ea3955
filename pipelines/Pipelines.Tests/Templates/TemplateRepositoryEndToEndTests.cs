using System.Collections;
using System.Text.Json.Nodes;
using Pipelines.Processes;
using Pipelines.Tests.Generators;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Scanning;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Templates;

/// <summary>
/// The proof that the toolkit is adoptable by reference: a repository made by <c>dotnet new gitops-pipeline</c> from
/// the packed template, with a small service of its own, compiles its build against the packed GitOps.Pipelines
/// package (a temporary feed, a temporary NuGet cache), generates its CI files and deploys through the whole chain:
/// the real Docker engine, a real registry, real git, and a stand-in trivy that reports a clean image.
/// </summary>
[Collection(PackedTemplateCollection.Name)]
public sealed class TemplateRepositoryEndToEndTests(PackedTemplate packed, RegistryFixture registry)
    : IClassFixture<RegistryFixture>, IDisposable
{
    private const string Service = "hello";
    private readonly TempDirectory _work = new("template-repo");
    private readonly FakeTrivy _trivy = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden");

    private string Repository => _work.Combine("repo");

    public void Dispose()
    {
        RemoveBuiltImages();
        _trivy.Dispose();
        _work.Dispose();
    }

    /// <summary>The tags Containerize left in the Docker engine for this test's registry (best effort: a few bytes each).</summary>
    private void RemoveBuiltImages()
    {
        var docker = new Command("docker").WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(1));
        var listed = docker.WithArguments("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "--filter", $"reference={registry.Address}/{Service}").ExecuteAsync().GetAwaiter().GetResult();
        var tags = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (listed.Succeeded && tags.Length > 0) docker.WithArguments(["image", "rm", "--force", .. tags]).ExecuteAsync().GetAwaiter().GetResult();
    }

    [Fact]
    public async Task A_repository_made_from_the_template_generates_valid_CI_files_deploys_a_signed_scanned_image_and_passes_its_tests()
    {
        await CreateRepositoryAsync();

        var generate = await BuildAsync("Generate");
        Assert.True(generate.Succeeded, Describe(generate));
        await AssertCiFilesPassTheValidatorsAsync();

        var deploy = await BuildAsync("Deploy", "--skip", "Test", "--registry", registry.Address, "--trivy-path", _trivy.Executable);
        Assert.True(deploy.Succeeded, Describe(deploy));

        // Pushed: the registry holds the service's image; signed: cosign's signature tag for its digest is there too.
        var tags = await TagsAsync(Service);
        var signature = Assert.Single(tags, t => t.StartsWith("sha256-") && t.EndsWith(".sig"));
        var digest = "sha256:" + signature["sha256-".Length..^".sig".Length];
        Assert.Contains(tags, t => !t.StartsWith("sha256-"));
        Assert.True(await ManifestExistsAsync(Service, digest), $"{Service}@{digest} is not in the registry");
        Assert.True(_trivy.Ran("image"), "Scan did not run the stand-in trivy");
        var verify = await BuildAsync("Verify", "--image", $"{registry.Address}/{Service}@{digest}");
        Assert.True(verify.Succeeded, Describe(verify));

        // Committed: the dev overlay of the local manifests repository pins that digest.
        var overlay = await ManifestsGitAsync("show", $"main:apps/{Service}/overlays/dev/kustomization.yaml");
        Assert.Contains($"digest: \"{digest}\"", overlay);
        Assert.Contains($"newName: {registry.Address}/{Service}", overlay);
        Assert.Contains($"Image-Digest: {digest}", await ManifestsGitAsync("log", "-1", "--format=%B", "main"));

        // The Test that Deploy runs first (skipped above to keep this test short) passes out of the box too.
        var test = await BuildAsync("Test");
        Assert.True(test.Succeeded, Describe(test));
        Assert.Contains("Test: 4 passed, 0 failed", test.StandardOutput);
    }

    /// <summary>
    /// dotnet new with nothing but <c>-n</c> in a repository started on main, the toolkit's feed named at instantiation
    /// (the temporary one), a FROM-scratch service of its own, one commit.
    /// </summary>
    private async Task CreateRepositoryAsync()
    {
        Directory.CreateDirectory(Repository);
        await TestGit.RunAsync(Repository, ["init", "--quiet", "-b", "main"]);
        var created = await packed.DotNetNew(Repository, new Dictionary<string, string?> { [TemplateRulesTests.TemplateFeedVariable] = packed.Feed }, "gitops-pipeline", "-n", Service);
        Assert.True(created.Succeeded, created.StandardOutput + created.StandardError);
        Assert.True(File.GetUnixFileMode(Path.Combine(Repository, "build.sh")).HasFlag(UnixFileMode.UserExecute), "build.sh is not executable");
        Assert.Contains($"value=\"{packed.Feed}\"", File.ReadAllText(Path.Combine(Repository, "nuget.config")));

        var service = Path.Combine(Repository, "src", Service);
        File.WriteAllText(Path.Combine(service, "Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
        File.WriteAllText(Path.Combine(service, "hello.txt"), $"hello from {Service}\n");
        await TestGit.RunAsync(Repository, ["add", "-A"]);
        await TestGit.RunAsync(Repository, ["commit", "--quiet", "-m", "dotnet new gitops-pipeline"]);
    }

    /// <summary>
    /// <c>./build.sh</c> as a developer runs it, with none of this test run's CI or pipeline settings (CI=true would
    /// turn the local defaults off) and a NuGet cache of its own, so the freshly packed toolkit is the one restored.
    /// </summary>
    private Task<CommandResult> BuildAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = _work.Combine("nuget-packages"),
            ["CI"] = null,
            ["KUBERNETES_SERVICE_HOST"] = null,
        };
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith("PIPELINE_") || name.StartsWith("GITHUB_") || name.StartsWith("TEKTON_")) environment[name] = null;
        }
        return new Command(Path.Combine(Repository, "build.sh"))
            .WithArguments(arguments)
            .WithWorkingDirectory(Repository)
            .WithEnvironment(environment)
            .WithEnvironment(new Dictionary<string, string?> { ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_AUTHOR_NAME"] = TestGit.Name, ["GIT_AUTHOR_EMAIL"] = TestGit.Email, ["GIT_COMMITTER_NAME"] = TestGit.Name, ["GIT_COMMITTER_EMAIL"] = TestGit.Email })
            .WithOutput(OutputMode.Quiet)
            .WithTimeout(TimeSpan.FromMinutes(15))
            .ExecuteAsync();
    }

    /// <summary>The generated workflows and Tekton files pass the validators the generator tests use.</summary>
    private async Task AssertCiFilesPassTheValidatorsAsync()
    {
        var workflows = Directory.GetFiles(Path.Combine(Repository, ".github", "workflows"), "*.yml");
        Assert.NotEmpty(workflows);
        var workflowSchema = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "github", "github-workflow.json"));
        foreach (var workflow in workflows)
        {
            var validated = await NpmTools.Find("action-validator").WithArguments(workflow).ExecuteAsync();
            Assert.True(validated.ExitCode == 0, $"{workflow}:\n{validated.StandardOutput}{validated.StandardError}");
            var errors = workflowSchema.Validate(YamlToJson.Parse(File.ReadAllText(workflow)));
            Assert.True(errors.Count == 0, $"{workflow}:\n{string.Join("\n", errors)}");
        }

        var tekton = Path.Combine(Repository, "tekton");
        var lint = await NpmTools.Find("tekton-lint").WithArguments("--max-warnings", "0", tekton + "/**/*.yaml").ExecuteAsync();
        Assert.True(lint.ExitCode == 0, lint.StandardOutput + lint.StandardError);
        var taskSchema = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "crds", "tekton.dev", "task_v1.json"));
        var tasks = Directory.GetFiles(Path.Combine(tekton, "tasks"), "*.yaml");
        Assert.Contains(tasks, t => Path.GetFileName(t).StartsWith($"{Service}-"));
        foreach (var task in tasks)
        {
            var errors = taskSchema.Validate(YamlToJson.Parse(File.ReadAllText(task)));
            Assert.True(errors.Count == 0, $"{task}:\n{string.Join("\n", errors)}");
        }
        var render = await new Command("kubectl").WithArguments("kustomize", tekton).WithOutput(OutputMode.Quiet).ExecuteAsync();
        Assert.True(render.ExitCode == 0, render.StandardError);
        Assert.Contains("kind: Pipeline\n", render.StandardOutput);
    }

    private async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        using var http = new HttpClient();
        var json = JsonNode.Parse(await http.GetStringAsync($"http://{registry.Address}/v2/{repository}/tags/list"))!;
        return json["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
    }

    private async Task<bool> ManifestExistsAsync(string repository, string digest)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry.Address}/v2/{repository}/manifests/{digest}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    private Task<string> ManifestsGitAsync(params string[] arguments) =>
        TestGit.OutputAsync(null, ["--git-dir", Path.Combine(Repository, ".gitops", "manifests.git"), .. arguments]);

    private static string Describe(CommandResult result) =>
        $"{result.Command} exited with {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}";
}
