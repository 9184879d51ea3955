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

    /// <summary>The targets the job invokes.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Extra command-line arguments, e.g. <c>--push false</c>; parameters set here are not mapped from variables.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Grants <c>packages: write</c>: the job pushes images to GitHub Packages.</summary>
    public bool PushesPackages { get; init; }

    /// <summary>Grants <c>id-token: write</c>: the job signs keyless (OIDC).</summary>
    public bool KeylessSigning { get; init; }

    /// <summary>A SARIF file uploaded to code scanning after the build, also when it failed; grants <c>security-events: write</c>.</summary>
    public string? SarifFile { get; init; }

    /// <summary>Installs this Trivy version (checksum-verified) before the build when set.</summary>
    public string? TrivyVersion { get; init; }

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

    /// <summary>Parameters (by member name) that the job must not receive at all.</summary>
    public IReadOnlyList<string> ExcludedParameters { get; init; } = [];
}
