namespace Pipelines.Generators;

/// <summary>
/// A GitHub Actions workflow: one job that runs <c>./build.sh &lt;Targets&gt; &lt;Arguments&gt;</c>.
/// Every build parameter reaches the job as an environment variable: <c>[Secret]</c> ones from
/// <c>secrets.NAME</c>, the others from <c>vars.NAME</c>. An unset variable arrives empty, and the
/// engine treats an empty variable as unset, so the build's default applies; setting a repository
/// variable changes CI without regenerating.
/// </summary>
/// <param name="Name">The file name (<c>.github/workflows/&lt;Name&gt;.yml</c>) and the job id.</param>
public sealed record GitHubWorkflow(string Name)
{
    /// <summary>Branches whose pushes run the workflow.</summary>
    public IReadOnlyList<string> PushBranches { get; init; } = [];

    /// <summary>Runs for pull requests (against any branch).</summary>
    public bool OnPullRequest { get; init; }

    /// <summary>Tag patterns whose pushes run the workflow (<c>v*</c>: a release).</summary>
    public IReadOnlyList<string> PushTags { get; init; } = [];

    /// <summary>
    /// Inputs of a manually started run (<c>workflow_dispatch</c>); each sets one parameter of the job's command. Empty:
    /// the workflow cannot be started by hand.
    /// </summary>
    public IReadOnlyList<WorkflowInput> Inputs { get; init; } = [];

    /// <summary>
    /// A release: the main job deploys to, and is bound to the GitHub environment of, the build's release environment
    /// (<see cref="CiConfiguration.ReleaseEnvironment"/>), and queues with every other run into that environment.
    /// </summary>
    public bool Release { get; init; }

    /// <summary>
    /// The concurrency group of the workflow's runs (an expression may name an input, <c>deploy-${{ inputs.to }}</c>);
    /// null: one group per workflow and ref, or for a <see cref="Release"/> <c>deploy-&lt;environment&gt;</c>. Runs into one
    /// environment share a group so two promotions never commit at once.
    /// </summary>
    public string? ConcurrencyGroup { get; init; }

    /// <summary>
    /// Another workflow's job (<c>workflow/job</c>) whose target cache this workflow's main job restores first: a release
    /// of a commit main already built finds its images, scans and signatures there and deploys those same digests.
    /// </summary>
    public string? TargetCacheFrom { get; init; }

    /// <summary>The targets the job invokes.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>
    /// Targets run first in a job of their own, <c>test</c>, with no secret and no environment (the whole test suite runs
    /// there, away from the signing key); the main job then <c>needs: test</c> and runs the rest with <c>--skip</c> them.
    /// Empty: one job. They must read no secret (<see cref="CiConfiguration.TargetSecrets"/>).
    /// </summary>
    public IReadOnlyList<string> TestTargets { get; init; } = [];

    /// <summary>The main job's id; null: the workflow's <see cref="Name"/>.</summary>
    public string? Job { get; init; }

    /// <summary>Extra command-line arguments, e.g. <c>--push false</c>; parameters set here are not mapped from variables.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Grants <c>packages: write</c>: the job pushes images to GitHub Packages (GHCR); leave off for any other registry.</summary>
    public bool PushesPackages { get; init; }

    /// <summary>Grants <c>id-token: write</c>: the job signs keyless (OIDC).</summary>
    public bool KeylessSigning { get; init; }

    /// <summary>
    /// A SARIF file uploaded to code scanning after the build, also when it failed, when the repository variable
    /// <see cref="SarifUploadVariable"/> is <c>true</c> (off by default: a private repository without GitHub Code Security
    /// refuses the upload, which would turn a good deploy red). Grants <c>security-events: write</c> and <c>actions: read</c>
    /// (the upload reads the run's metadata, which private repositories guard). A folder is uploaded with every SARIF file
    /// in it (several images' scans, each run with its own category).
    /// </summary>
    public string? SarifFile { get; init; }

    /// <summary>The repository variable that switches the SARIF upload on (<c>true</c>); see <see cref="SarifFile"/>.</summary>
    public string SarifUploadVariable { get; init; } = "UPLOAD_SARIF";

    /// <summary>Installs this Trivy version (checksum-verified) before the build when set.</summary>
    public string? TrivyVersion { get; init; }

    /// <summary>SHA-256 of Trivy's <c>Linux-64bit</c> archive of <see cref="TrivyVersion"/>: any other archive is refused.</summary>
    public string TrivySha256 { get; init; } = "2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a";

    /// <summary>A shell step run before the build, e.g. installing what the tests need; null: none.</summary>
    public string? SetupRun { get; init; }

    /// <summary>A newer run on the same ref cancels a running one (pull requests); deployments queue instead.</summary>
    public bool CancelInProgress { get; init; }

    /// <summary>Stops a hung job before GitHub's six-hour limit burns runner time.</summary>
    public int TimeoutMinutes { get; init; } = 60;

    /// <summary>
    /// Secret parameters (by environment name) read from a differently named GitHub secret, e.g.
    /// <c>["REGISTRY_PASSWORD"] = "GITHUB_TOKEN"</c> to push to GitHub Packages with the job's own token.
    /// </summary>
    public IReadOnlyDictionary<string, string> SecretNames { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The protected GitHub environment the job is bound to (<c>environment:</c>); its secrets (signing key, tokens)
    /// exist only there, and its deployment branch rule keeps every other branch out. Required for a job that gets
    /// any secret; a pull-request workflow gets none.
    /// </summary>
    public string? Environment { get; init; }

    /// <summary>Parameters (by member name) whose repository variable must be set: the job fails first, naming each missing one.</summary>
    public IReadOnlyList<string> RequiredVariables { get; init; } = [];

    /// <summary>The folder Trivy keeps its databases in (the build's <c>--trivy-cache-dir</c>): cached per day; null: no cache.</summary>
    public string? TrivyCachePath { get; init; }

    /// <summary>Parameters (by member name) that the job must not receive at all.</summary>
    public IReadOnlyList<string> ExcludedParameters { get; init; } = [];
}
