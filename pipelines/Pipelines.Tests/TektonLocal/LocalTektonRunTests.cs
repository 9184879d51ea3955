using Pipelines.Logging;
using Pipelines.Registry;
using Pipelines.TektonLocal;
using Pipelines.Tests.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// The real generated Pipeline (this project's tekton/) run locally against a small repository shaped like this
/// project (testdata/tekton-local/service-repo: a build.sh that does each target's job in seconds), a real registry,
/// a real bare manifests repository served over git daemon, and a stand-in Trivy given through the trivy-path param.
/// </summary>
public sealed class LocalTektonRunTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("tekton-e2e");
    private LocalRegistry? _registry;
    private LocalGitServer? _git;
    private string _manifests = "";
    private string _source = "";

    public async Task InitializeAsync()
    {
        _registry = await RegistryFixture.StartRegistryAsync(_temp.Combine("registry"));
        _source = await ServiceRepository.CreateAsync(_temp);
        _manifests = _temp.Combine("manifests.git");
        await TestGit.RunAsync(null, ["init", "--quiet", "--bare", "--initial-branch=main", _manifests]);
        var seed = _temp.Combine("seed");
        await TestGit.RunAsync(null, ["clone", "--quiet", _manifests, seed]);
        File.WriteAllText(Path.Combine(seed, "README.md"), "manifests\n");
        await TestGit.RunAsync(seed, ["add", "README.md"]);
        await TestGit.RunAsync(seed, ["commit", "--quiet", "-m", "seed"]);
        await TestGit.RunAsync(seed, ["push", "--quiet", "origin", "HEAD:main"]);
        var trivy = _temp.Combine("tools");
        Directory.CreateDirectory(trivy);
        File.Copy(TestPaths.TestData("tekton-local", "service-repo", "trivy"), Path.Combine(trivy, "trivy"));
        File.SetUnixFileMode(Path.Combine(trivy, "trivy"), (UnixFileMode)0b111_101_101);
        _git = await LocalGitServer.StartAsync([Path.Combine(_source, ".git"), _manifests], new MemoryLog(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_git is not null) await _git.DisposeAsync();
        if (_registry is not null) await _registry.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<LocalPipelineRunResult> RunAsync(MemoryLog log, string testFilter) =>
        await new LocalPipelineRunner(log).RunAsync(
            new LocalPipelineRunOptions(Path.Combine(TestPaths.RepositoryRoot, "tekton"), new Dictionary<string, string>
            {
                ["git-url"] = _git!.Url(Path.Combine(_source, ".git")),
                ["git-revision"] = (await TestGit.OutputAsync(_source, "rev-parse", "HEAD")).Trim(),
                ["github-repository"] = "",
            })
            {
                Settings = new Dictionary<string, string> { ["PIPELINE_REGISTRY"] = _registry!.Address, ["PIPELINE_MANIFESTS_REPO"] = _git.Url(_manifests) },
                Overrides = new Dictionary<string, string> { ["test-filter"] = testFilter, ["trivy-path"] = _temp.Combine("tools", "trivy") },
                ImageSubstitutes = new Dictionary<string, string> { ["curlimages/curl:8.11.1"] = RunnerChoice.HostTools },
                HostPaths = [_temp.Combine("tools")],
                Environment = new Dictionary<string, string?> { ["PIPELINE_SIGNING_KEY"] = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----test", ["PIPELINE_SIGNING_KEY_PASSWORD"] = "pw-not-shown" },
            },
            CancellationToken.None);

    [Fact]
    public async Task I_can_run_the_generated_pipeline_locally_from_clone_to_deploy()
    {
        var log = new MemoryLog();

        var run = await RunAsync(log, "FullyQualifiedName~Narrow");

        Assert.True(run.Succeeded, log.Text);
        Assert.Equal("Succeeded", run.Reason);
        Assert.Equal(["fetch-source", "test", "containerize", "scan", "sign", "deploy", "analyze", "report-status"], run.Tasks.Select(t => t.PipelineTask));
        var images = run.Results["IMAGES"];
        Assert.StartsWith($"{_registry!.Address}/shortlink@sha256:", images);
        using var http = new HttpClient();
        var tag = (await TestGit.OutputAsync(_source, "rev-parse", "--short=12", "HEAD")).Trim();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{_registry.Address}/v2/shortlink/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request);
        Assert.Equal(images[(images.IndexOf('@') + 1)..], response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal((await TestGit.OutputAsync(_manifests, "rev-parse", "main")).Trim(), run.Results["DEPLOY_COMMIT"]);
        Assert.Contains("[scan/scan] stand-in trivy scanned", log.Text);
        Assert.Contains("[report-status/report] The pipeline ended: Succeeded.", log.Text);
        Assert.DoesNotContain("pw-not-shown", log.Text);
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
    }

    [Fact]
    public async Task A_failing_test_step_fails_the_run_skips_the_rest_and_finally_reports_it()
    {
        var log = new MemoryLog();

        var run = await RunAsync(log, "fail");

        Assert.False(run.Succeeded);
        Assert.Equal("Failed", run.Reason);
        Assert.Equal("StepFailed", run.Task("test").Reason);
        Assert.All(["containerize", "scan", "sign", "deploy", "analyze"], t => Assert.Equal("PipelineRun was stopping", run.Task(t).Reason));
        Assert.Equal("Succeeded", run.Task("report-status").Status);
        Assert.Contains("[report-status/report] The pipeline ended: Failed.", log.Text);
        Assert.Equal((await TestGit.OutputAsync(_manifests, "rev-parse", "main")).Trim(), (await TestGit.OutputAsync(_manifests, "rev-list", "--max-parents=0", "main")).Trim());
        Assert.Empty(await LocalRunLeftovers.FindAsync(run.Name));
    }
}
