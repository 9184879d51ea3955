namespace Pipelines.Generators;

/// <summary>
/// What a build declares about its CI (its <c>Ci</c> property, in <c>build/Build.cs</c>): the GitHub Actions workflows and the
/// Tekton pipeline that <c>./build.sh Generate</c> writes. Targets, parameters, dependencies and outputs
/// come from the build itself; this record only says how CI invokes them.
/// </summary>
/// <param name="Name">The build's short name: the prefix of every Tekton resource (<c>shortlink-test</c>).</param>
public sealed record CiConfiguration(string Name)
{
    /// <summary>One file per workflow under <c>.github/workflows/</c>.</summary>
    public IReadOnlyList<GitHubWorkflow> GitHubWorkflows { get; init; } = [];

    /// <summary>The Tekton Tasks, Pipeline and Triggers under <c>tekton/</c>; none when null.</summary>
    public TektonPipeline? Tekton { get; init; }

    /// <summary>
    /// Parameters (by member name) that CI reads from secrets although they are not <c>[Secret]</c>, e.g. a registry
    /// user name kept out of repository variables. <c>[Secret]</c> parameters always are; prefer marking the
    /// parameter itself, which also masks it in logs.
    /// </summary>
    public IReadOnlyList<string> SecretParameters { get; init; } = [];

    /// <summary>
    /// The secret parameters (by member name) each target reads, by target name. A Tekton Task and a GitHub job
    /// get only the secrets of the targets they run; a target not listed gets none.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> TargetSecrets { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// The environment a release tag (<see cref="GitHubWorkflow.Release"/>) deploys to; null: the last of the build's
    /// environments (the default of <c>--environments</c>, e.g. <c>prod</c>). Must be one of them: Generate and every run on
    /// CI refuse another name.
    /// </summary>
    public string? ReleaseEnvironment { get; init; }

    /// <summary>The parameter (member name) whose default lists the build's environments as <c>name=mode</c>.</summary>
    internal const string EnvironmentsParameter = "Environments";

    /// <summary>The parameter (member name) of the environment a deploy goes to; its default is where main's deploy job goes.</summary>
    internal const string EnvironmentParameter = "Environment";

    /// <summary>Where an error tells a build author to change this configuration: one wording for every message.</summary>
    internal const string Where = "the build's Ci (build/Build.cs: protected override CiConfiguration Ci => base.Ci with { … })";

    /// <summary>How an error tells a build author to pin the runner image: the override a GitOpsBuild has, with its C#.</summary>
    internal const string RunnerImageFix =
        "run ./build.sh RunnerImage --registry <registry> once and return the repository@sha256:… it prints from TektonRunnerImage in build/Build.cs: " +
        "protected override string TektonRunnerImage => \"<registry>/pipeline-runner@sha256:…\"; (a build without GitOpsBuild sets RunnerImage of its Ci's Tekton)";

    /// <summary>The command that regenerates the files, named at the top of each.</summary>
    public string RegenerateCommand { get; init; } = "./build.sh Generate";
}
