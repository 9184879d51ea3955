using System.Collections;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Pipelines.Processes;
using Pipelines.Tests.Generators;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Scanning;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Templates;

/// <summary>
/// The proof that the toolkit is adoptable by reference, following the README to the letter: its "Use it in your
/// repository" commands, read from the README's fenced block and run by bash as written (the packed template and its
/// feed stand for <c>./build.sh Pack</c>, <c>dotnet new install</c> and the feed named in GITOPS_PIPELINES_FEED; a
/// stand-in trivy on PATH), make a repository with <c>dotnet new</c> and no options; AddService adds a second service and
/// a worker; then the README's own <c>./build.sh Deploy</c> line ships all three in one manifests commit: the real
/// Docker engine, a real registry (the test's, through PIPELINE_REGISTRY, so parallel runs never share port 5000),
/// real git, the local manifests repository.
/// </summary>
[Collection(PackedTemplateCollection.Name)]
public sealed class TemplateRepositoryEndToEndTests(PackedTemplate packed, RegistryFixture registry)
    : IClassFixture<RegistryFixture>, IDisposable
{
    /// <summary>The service the README's folder names, the one AddService adds, and the worker it adds.</summary>
    private static readonly string[] Services = ["orders", "payments", "mailer"];
    private readonly TempDirectory _work = new("template-repo");
    private readonly FakeTrivy _trivy = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden");

    private string Repository => _work.Combine("orders");

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
        foreach (var service in Services)
        {
            var listed = docker.WithArguments("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "--filter", $"reference={registry.Address}/{service}").ExecuteAsync().GetAwaiter().GetResult();
            var tags = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (listed.Succeeded && tags.Length > 0) docker.WithArguments(["image", "rm", "--force", .. tags]).ExecuteAsync().GetAwaiter().GetResult();
        }
    }

    [Fact]
    public async Task The_READMEs_commands_then_AddService_twice_then_one_Deploy_ship_three_signed_scanned_services_in_one_manifests_commit()
    {
        var (setup, deployLine) = ReadmeCommands();

        var made = await ShellAsync(_work.Path, setup);
        Assert.True(made.Succeeded, Describe(made));
        Assert.True(File.GetUnixFileMode(Path.Combine(Repository, "build.sh")).HasFlag(UnixFileMode.UserExecute), "build.sh is not executable");
        Assert.Contains($"value=\"{packed.Feed}\"", File.ReadAllText(Path.Combine(Repository, "nuget.config")));
        Assert.Equal("main", (await TestGit.OutputAsync(Repository, "branch", "--show-current")).Trim());

        var payments = await BuildAsync("AddService", "--name", "payments", "--port", "9090");
        Assert.True(payments.Succeeded, Describe(payments));
        var mailer = await BuildAsync("AddService", "--name", "mailer", "--worker");
        Assert.True(mailer.Succeeded, Describe(mailer));
        var refused = await BuildAsync("AddService", "--name", "mailer");
        Assert.False(refused.Succeeded, Describe(refused));
        Assert.Contains("Service `mailer` exists", refused.StandardOutput + refused.StandardError);
        Assert.Contains("new(\"payments\"),", File.ReadAllText(Path.Combine(Repository, "build", "Build.cs")));
        Assert.False(File.Exists(Path.Combine(Repository, "manifests", "apps", "mailer", "base", "service.yaml")), "a worker got a Service");
        // AddService ran Generate with the edited build: the workflow now uploads one SARIF file per service.
        Assert.Contains("sarif_file: artifacts/scan\n", File.ReadAllText(Path.Combine(Repository, ".github", "workflows", "main.yml")));
        await AssertCiFilesPassTheValidatorsAsync();
        await TestGit.RunAsync(Repository, ["add", "-A"]);
        await TestGit.RunAsync(Repository, ["commit", "--quiet", "-m", "payments and mailer"]);

        var deploy = await ShellAsync(Repository, deployLine);
        Assert.True(deploy.Succeeded, Describe(deploy));

        // Tested first: the repository's own tests, for all three apps (2 checks each).
        Assert.Contains("Test: 6 passed, 0 failed", deploy.StandardOutput);
        Assert.True(_trivy.Ran("image"), "Scan did not run the stand-in trivy");
        // One manifests commit pins the three signed digests in dev.
        var commit = await ManifestsGitAsync("show", "--stat", "--format=%B", "main");
        foreach (var service in Services)
        {
            var tags = await TagsAsync(service);
            var signature = Assert.Single(tags, t => t.StartsWith("sha256-") && t.EndsWith(".sig"));
            var digest = "sha256:" + signature["sha256-".Length..^".sig".Length];
            Assert.True(await ManifestExistsAsync(service, digest), $"{service}@{digest} is not in the registry");
            var overlay = await ManifestsGitAsync("show", $"main:apps/{service}/overlays/dev/kustomization.yaml");
            Assert.Contains($"digest: \"{digest}\"", overlay);
            Assert.Contains($"newName: {registry.Address}/{service}", overlay);
            Assert.Contains($"apps/{service}/overlays/dev/kustomization.yaml", commit);
        }
        var verify = await BuildAsync("Verify", "--service", "mailer", "--image", $"{registry.Address}/mailer@sha256:{(await TagsAsync("mailer")).Single(t => t.EndsWith(".sig"))["sha256-".Length..^".sig".Length]}");
        Assert.True(verify.Succeeded, Describe(verify));
    }

    /// <summary>
    /// The README's fenced block that starts a repository, split into what comes before its <c>./build.sh Deploy</c>
    /// line and that line; the feed it names is the temporary one (the only change to the text).
    /// </summary>
    private (string Setup, string Deploy) ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md")).Replace("\r\n", "\n");
        var block = Regex.Matches(readme, "```bash\n(?<body>.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups["body"].Value).Single(b => b.Contains("dotnet new gitops-pipeline"));
        Assert.Single(Regex.Matches(block, @"GITOPS_PIPELINES_FEED=\S+"));
        var lines = Regex.Replace(block, @"GITOPS_PIPELINES_FEED=\S+", "GITOPS_PIPELINES_FEED=" + packed.Feed).TrimEnd('\n').Split('\n');
        Assert.StartsWith("./build.sh Deploy", lines[^1]);
        return (string.Join('\n', lines[..^1]), lines[^1]);
    }

    /// <summary>
    /// Commands run by bash as a developer's terminal would, with the environment of <see cref="BuildAsync"/>, a
    /// <c>dotnet</c> on PATH that gives <c>dotnet new</c> the test's template hive, and the stand-in trivy on PATH.
    /// </summary>
    private Task<CommandResult> ShellAsync(string directory, string commands)
    {
        var shims = Directory.CreateDirectory(_work.Combine("shims")).FullName;
        var dotnet = Path.Combine(shims, "dotnet");
        if (!File.Exists(dotnet))
        {
            File.WriteAllText(dotnet, $"#!/bin/sh\nif [ \"$1\" = new ]; then exec '{RealDotnet()}' \"$@\" --debug:custom-hive '{packed.Hive}'; fi\nexec '{RealDotnet()}' \"$@\"\n");
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var path = string.Join(':', shims, Path.GetDirectoryName(_trivy.Executable), Environment.GetEnvironmentVariable("PATH"));
        return new Command("bash").WithArguments("-euo", "pipefail", "-c", commands)
            .WithWorkingDirectory(directory)
            .WithEnvironment(DeveloperEnvironment())
            .WithEnvironment("PATH", path)
            .WithOutput(OutputMode.Quiet)
            .WithTimeout(TimeSpan.FromMinutes(20))
            .ExecuteAsync();
    }

    private static string RealDotnet() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("dotnet is not on PATH");

    /// <summary>
    /// <c>./build.sh</c> as a developer runs it, with none of this test run's CI or pipeline settings (CI=true would
    /// turn the local defaults off) and a NuGet cache of its own, so the freshly packed toolkit is the one restored.
    /// </summary>
    private Task<CommandResult> BuildAsync(params string[] arguments) =>
        new Command(Path.Combine(Repository, "build.sh"))
            .WithArguments(arguments)
            .WithWorkingDirectory(Repository)
            .WithEnvironment(DeveloperEnvironment())
            .WithEnvironment("PATH", string.Join(':', Path.GetDirectoryName(_trivy.Executable), Environment.GetEnvironmentVariable("PATH")))
            .WithOutput(OutputMode.Quiet)
            .WithTimeout(TimeSpan.FromMinutes(15))
            .ExecuteAsync();

    /// <summary>
    /// A developer's environment: none of this test run's CI or pipeline settings (CI=true would turn the local defaults
    /// off), a NuGet cache of its own so the freshly packed toolkit is the one restored, a git identity, and the test's
    /// registry as PIPELINE_REGISTRY.
    /// </summary>
    private Dictionary<string, string?> DeveloperEnvironment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = _work.Combine("nuget-packages"),
            ["CI"] = null,
            ["KUBERNETES_SERVICE_HOST"] = null,
            ["GITOPS_PIPELINES_FEED"] = null,
        };
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith("PIPELINE_") || name.StartsWith("GITHUB_") || name.StartsWith("TEKTON_")) environment[name] = null;
        }
        foreach (var (name, value) in new Dictionary<string, string> { ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_AUTHOR_NAME"] = TestGit.Name, ["GIT_AUTHOR_EMAIL"] = TestGit.Email, ["GIT_COMMITTER_NAME"] = TestGit.Name, ["GIT_COMMITTER_EMAIL"] = TestGit.Email })
            environment[name] = value;
        environment["PIPELINE_REGISTRY"] = registry.Address;
        return environment;
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
        Assert.Contains(tasks, t => Path.GetFileName(t).StartsWith("orders-"));
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
