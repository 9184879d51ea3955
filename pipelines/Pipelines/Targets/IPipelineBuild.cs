using Pipelines.Workspace;
using System.Linq.Expressions;
using Pipelines.Hosts;
using Pipelines.Logging;

namespace Pipelines.Targets;

/// <summary>
/// What every build offers its components (NUKE's <c>INukeBuild</c>): the repository, where it runs, the state shared
/// between targets, and the values of the components' parameters. A component is an interface deriving from this one
/// whose default members declare a stage's parameters and its target:
/// <code>
/// public interface ILint : IPipelineBuild
/// {
///     [Parameter("Fail on warnings too")]
///     bool Strict => ValueOf(() => Strict, false);
///
///     Target Lint => _ => _.Executes(ctx => …);
/// }
/// </code>
/// <see cref="PipelineBuild"/> implements it; a build composes components by listing them: <c>class Build : PipelineBuild, ITest, ILint</c>.
/// </summary>
public interface IPipelineBuild
{
    /// <summary>The repository root.</summary>
    string RootDirectory { get; }

    /// <summary>Where the build runs (terminal, GitHub Actions, Tekton); set before any target runs.</summary>
    internal PipelineHost Host { get; }

    /// <summary>Outputs and records shared between targets and runs; loaded before any target runs.</summary>
    internal PipelineState State { get; }

    /// <summary>The host's log.</summary>
    ILog Log { get; }

    /// <summary>Every path the toolkit writes under the repository (artifacts/, .gitops/) and its caches.</summary>
    WorkspaceLayout Layout { get; }

    /// <summary>
    /// The value of a component's parameter: what the command line or the environment gave it, else
    /// <paramref name="defaultValue"/>. Read it in the parameter's own property: <c>bool Push => ValueOf(() => Push, true);</c>
    /// </summary>
    T ValueOf<T>(Expression<Func<T>> parameter, T defaultValue);

    /// <summary>Whether the command line or the environment gave the parameter (by its member name) a value, even an empty one.</summary>
    internal bool IsGiven(string parameterName);

    /// <summary>The build's parameters as the user would type them, secrets left out: what provenance records about a run.</summary>
    internal IReadOnlyDictionary<string, string> NonSecretParameterValues();
}
