using Pipelines.Components;
using Pipelines.Generators;
using Pipelines.Logging;
using Pipelines.TektonLocal;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// Issue 24 item 12: the generated Promote and Rollback Pipelines (this project's tekton/promote.yaml, rollback.yaml) run
/// locally as <c>./build.sh TektonRun --local --pipeline promote|rollback</c> runs them: the Pipeline and params TektonRun
/// chooses, the runner image assembled from the host, a bare manifests repository served over git daemon, and the
/// stand-in service repository whose build.sh does Promote's and Rollback's observable job.
/// </summary>
public sealed class LocalManualPipelineTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("tekton-manual");
    private LocalGitServer? _git;
    private string _manifests = "";
    private string _source = "";
    private const string StagingImage = "registry.example.test/shortlink@sha256:5a1e0000000000000000000000000000000000000000000000000000000000aa";

    public async Task InitializeAsync()
    {
        _source = await ServiceRepository.CreateAsync(_temp);
        _manifests = _temp.Combine("manifests.git");
        await TestGit.RunAsync(null, ["init", "--quiet", "--bare", "--initial-branch=main", _manifests]);
        var seed = _temp.Combine("seed");
        await TestGit.RunAsync(null, ["clone", "--quiet", _manifests, seed]);
        // Staging runs an image; prod runs an older one.
        foreach (var (environment, image) in new[] { ("staging", StagingImage), ("prod", "registry.example.test/shortlink@sha256:01d") })
        {
            Directory.CreateDirectory(Path.Combine(seed, "apps", "shortlink", "overlays", environment));
            File.WriteAllText(Path.Combine(seed, "apps", "shortlink", "overlays", environment, "image.txt"), image);
        }
        await TestGit.RunAsync(seed, ["add", "-A"]);
        await TestGit.RunAsync(seed, ["commit", "--quiet", "-m", "seed"]);
        await TestGit.RunAsync(seed, ["push", "--quiet", "origin", "HEAD:main"]);
        _git = await LocalGitServer.StartAsync([Path.Combine(_source, ".git"), _manifests], new MemoryLog(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_git is not null) await _git.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>What TektonRun --local passes for <paramref name="choice"/>: the source, its params, the local ConfigMap settings.</summary>
    private async Task<LocalPipelineRunResult> RunAsync(MemoryLog log, TektonPipelineChoice choice) =>
        await new LocalPipelineRunner(log).RunAsync(
            new LocalPipelineRunOptions(Path.Combine(TestPaths.RepositoryRoot, "tekton"), new Dictionary<string, string>(choice.Parameters)
            {
                ["git-url"] = _git!.Url(Path.Combine(_source, ".git")),
                ["git-revision"] = (await TestGit.OutputAsync(_source, "rev-parse", "HEAD")).Trim(),
                ["github-repository"] = "",
            })
            {
                PipelineName = choice.Name,
                Settings = new Dictionary<string, string>
                {
                    ["PIPELINE_REGISTRY"] = "127.0.0.1:5000",
                    ["PIPELINE_MANIFESTS_REPO"] = _git.Url(_manifests),
                    // The manual Pipelines take no git-url: they clone the ConfigMap's repository.
                    ["GIT_URL"] = _git.Url(Path.Combine(_source, ".git")),
                },
                Environment = new Dictionary<string, string?> { ["PIPELINE_GIT_TOKEN"] = "token-not-shown" },
            },
            CancellationToken.None);

    private async Task<string> ManifestsAsync(params string[] arguments) => (await TestGit.OutputAsync(_manifests, arguments)).Trim();

    [Fact]
    public async Task I_can_promote_staging_to_prod_and_roll_prod_back_with_the_generated_Pipelines()
    {
        var log = new MemoryLog();
        var build = new ShortlinkBuild();
        var tekton = ((IGenerate)build).Ci.Tekton!;

        var promote = await RunAsync(log, await ChoiceOfAsync(build, tekton, "promote", "--from", "staging", "--environment", "prod"));

        Assert.True(promote.Succeeded, log.Text);
        Assert.Equal(["fetch-source", "promote"], promote.Tasks.Select(t => t.PipelineTask));
        Assert.Equal($"Promote {StagingImage} from staging to prod", await ManifestsAsync("log", "-1", "--format=%s", "main"));
        Assert.Equal(StagingImage, await ManifestsAsync("show", "main:apps/shortlink/overlays/prod/image.txt"));
        Assert.Equal(await ManifestsAsync("rev-parse", "main"), promote.Results["DEPLOY_COMMIT"]);
        Assert.Equal("prod", promote.Results["DEPLOY_ENVIRONMENT"]);
        Assert.DoesNotContain("token-not-shown", log.Text);

        var rollback = await RunAsync(log, await ChoiceOfAsync(build, tekton, "rollback", "--environment", "prod"));

        Assert.True(rollback.Succeeded, log.Text);
        Assert.StartsWith("Revert \"Promote", await ManifestsAsync("log", "-1", "--format=%s", "main"));
        Assert.Equal("registry.example.test/shortlink@sha256:01d", await ManifestsAsync("show", "main:apps/shortlink/overlays/prod/image.txt"));
        Assert.Empty(await LocalRunLeftovers.FindAsync(promote.Name));
        Assert.Empty(await LocalRunLeftovers.FindAsync(rollback.Name));
    }

    [Fact]
    public async Task TektonRun_refuses_a_promotion_without_from_and_an_unknown_pipeline_naming_the_fix()
    {
        using var harness = Harness();

        Assert.NotEqual(0, await harness.RunAsync(new ShortlinkBuild(), "TektonRun", "TektonRun", "--pipeline", "promote", "--local"));
        Assert.Contains("--pipeline promote needs --from", harness.Text);
        Assert.NotEqual(0, await harness.RunAsync(new ShortlinkBuild(), "TektonRun", "TektonRun", "--pipeline", "release", "--local"));
        Assert.Contains("use main or one of: promote, rollback", harness.Text);
    }

    [Fact]
    public async Task TektonRun_refuses_a_promotion_without_an_explicit_environment_though_it_has_a_default()
    {
        using var harness = Harness();

        Assert.NotEqual(0, await harness.RunAsync(new ShortlinkBuild(), "TektonRun", "TektonRun", "--pipeline", "promote", "--from", "staging", "--local"));
        Assert.Contains("--pipeline promote needs --environment", harness.Text);
    }

    [Fact]
    public async Task Promote_refuses_from_equal_to_environment_before_anything_runs()
    {
        using var harness = Harness();

        Assert.NotEqual(0, await harness.RunAsync(new ShortlinkBuild(), "Promote", "Promote", "--from", "staging", "--environment", "staging"));
        Assert.Contains("--from staging and --environment staging name the same environment", harness.Text);
    }

    /// <summary>The Pipeline and params <c>TektonRun --pipeline</c> chooses for these options, as the build binds them.</summary>
    private static async Task<TektonPipelineChoice> ChoiceOfAsync(ShortlinkBuild build, TektonPipeline tekton, string pipeline, params string[] options)
    {
        TektonPipelineChoice? choice = null;
        build.OnTektonRun = b => choice = ((ITektonRun)b).ChosenPipeline("shortlink", tekton);
        using var harness = Harness();
        await harness.RunAsync(build, "Probe", ["Probe", "--pipeline", pipeline, .. options]);
        return choice ?? throw new InvalidOperationException(harness.Text);
    }

    /// <summary>A build root with the global.json the generator reads the runner's SDK from.</summary>
    private static BuildHarness Harness()
    {
        var harness = new BuildHarness();
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "global.json"), Path.Combine(harness.Root, "global.json"));
        return harness;
    }

    /// <summary>A build named as this project's (its tekton/ is the committed one), with a probe target that reads its bound options.</summary>
    private sealed class ShortlinkBuild : GitOpsBuild
    {
        public Action<ShortlinkBuild>? OnTektonRun;
        protected override string Name => "shortlink";
        protected override IReadOnlyList<Service> Services => [new("shortlink")];
        public Pipelines.Targets.Target Probe => _ => _.Executes(_ => OnTektonRun?.Invoke(this));
    }
}
