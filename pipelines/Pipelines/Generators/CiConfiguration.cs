namespace Pipelines.Generators;

/// <summary>
/// What a build declares about its CI (in <c>build/Build.CI.cs</c>): the GitHub Actions workflows and the
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

    /// <summary>The command that regenerates the files, named at the top of each.</summary>
    public string RegenerateCommand { get; init; } = "./build.sh Generate";
}
