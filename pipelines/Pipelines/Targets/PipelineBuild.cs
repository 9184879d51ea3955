using System.Linq.Expressions;
using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Targets;

/// <summary>
/// The base of a build class. Targets are <see cref="Target"/> properties, of the class or of the component interfaces
/// it implements; parameters are fields or component properties marked <see cref="ParameterAttribute"/>;
/// <c>static int Main(string[] args) => Execute&lt;Build&gt;(args, x => x.Deploy);</c>
/// </summary>
public abstract class PipelineBuild : IPipelineBuild
{
    private PipelineHost? _host;
    private PipelineState? _state;
    private readonly Dictionary<string, object?> _componentValues = new(StringComparer.Ordinal);
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    /// <summary>
    /// The repository root: the one <c>build.sh</c>/<c>build.ps1</c> lives in (they export <c>PIPELINE_ROOT</c>),
    /// whatever the current directory; without it, the nearest repository root above it (<see cref="IsRepositoryRoot"/>).
    /// </summary>
    public string RootDirectory { get; internal set; } = ResolveRoot(Environment.GetEnvironmentVariable(RootVariable), Directory.GetCurrentDirectory());

    /// <summary>The variable the bootstrap scripts set to the repository they live in.</summary>
    internal const string RootVariable = "PIPELINE_ROOT";

    /// <summary>
    /// <c>PIPELINE_ROOT</c> when set (the repository build.sh lives in, even when run from /tmp or from inside another
    /// checkout), else the nearest repository root above <paramref name="currentDirectory"/> (<see cref="IsRepositoryRoot"/>).
    /// </summary>
    internal static string ResolveRoot(string? pipelineRoot, string currentDirectory)
    {
        // A PIPELINE_ROOT that is no repository root is reported by the runner, where an error can be shown cleanly.
        return pipelineRoot is { Length: > 0 } ? Path.GetFullPath(pipelineRoot) : FindRoot(currentDirectory);
    }

    /// <summary>Where the build runs; set up by the runner before any target.</summary>
    internal PipelineHost Host
    {
        get => _host ?? throw new InvalidOperationException("The host is set when the build runs.");
        set => _host = value;
    }

    /// <summary>Outputs and records shared between targets and runs; set up by the runner before any target.</summary>
    internal PipelineState State
    {
        get => _state ?? throw new InvalidOperationException("The state is loaded when the build runs.");
        set => _state = value;
    }

    /// <summary>The host's log, for code outside a target.</summary>
    public ILog Log => Host;

    /// <summary>Where targets write reports, state and build outputs, and what the machine keeps between runs, in <see cref="RootDirectory"/>.</summary>
    public WorkspaceLayout Layout => new(RootDirectory, CacheDirectoryOverride);

    /// <summary>The <see cref="WorkspaceLayout.CacheDirectoryVariable"/> the runner was given; null on a laptop.</summary>
    internal string? CacheDirectoryOverride { get; set; }

    /// <inheritdoc/>
    public T ValueOf<T>(Expression<Func<T>> parameter, T defaultValue)
    {
        var name = parameter.Body is MemberExpression { Member: var member } ? member.Name
            : throw new ArgumentException("A parameter is read as ValueOf(() => Name, default), naming the property itself.", nameof(parameter));
        return _componentValues.TryGetValue(name, out var value) ? (T)value! : defaultValue;
    }

    /// <summary>Keeps a bound value of a component's parameter, which its property reads through <see cref="ValueOf{T}"/>.</summary>
    internal void SetParameterValue(string memberName, object? value) => _componentValues[memberName] = value;

    /// <summary>Records that the command line or the environment gave the parameter a value.</summary>
    internal void MarkGiven(string memberName) => _given.Add(memberName);

    /// <summary>Whether the command line or the environment gave the parameter (by its member name) a value, even an empty one.</summary>
    internal bool IsGiven(string parameterName) => _given.Contains(parameterName);

    PipelineHost IPipelineBuild.Host => Host;
    PipelineState IPipelineBuild.State => State;
    bool IPipelineBuild.IsGiven(string parameterName) => IsGiven(parameterName);
    IReadOnlyDictionary<string, string> IPipelineBuild.NonSecretParameterValues() => NonSecretParameterValues();

    /// <summary>Runs the build for a command line and returns the process exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="defaultTarget">The target run when none is named: <c>x => x.Test</c>.</param>
    public static int Execute<T>(string[] args, Func<T, Target> defaultTarget) where T : PipelineBuild, new()
    {

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl-C cancels the running target; a second one ends the process.
            if (cancellation.IsCancellationRequested) return;
            e.Cancel = true;
            cancellation.Cancel();
        };
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                cancellation.Cancel();
            });

        var build = new T();
        var name = TargetCatalog.NameOf(build, defaultTarget(build))
            ?? throw new ArgumentException("The default target must be a target of the build: x => x.Deploy.", nameof(defaultTarget));
        var runner = new BuildRunner(build, name, Console.Out, Console.Error, PipelineHost.CurrentEnvironment());
        return runner.RunAsync(args, cancellation.Token).GetAwaiter().GetResult();
    }

    /// <summary>
    /// The build's parameters as the user would type them, secrets left out: what provenance records about a run.
    /// </summary>
    internal IReadOnlyDictionary<string, string> NonSecretParameterValues() =>
        ParameterDescriptor.Discover(GetType())
            .Where(p => !p.IsSecret)
            .ToDictionary(p => p.CliName, p => p.Display(this));

    /// <summary>Walks up from a directory to the nearest repository root (<see cref="IsRepositoryRoot"/>); the directory itself when none is.</summary>
    internal static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (IsRepositoryRoot(directory.FullName))
                return directory.FullName;
        return start;
    }

    /// <summary>
    /// Whether a folder is a repository the toolkit builds: it holds the build project <c>build/Build.csproj</c> (every
    /// repository made by <c>dotnet new gitops-pipeline</c>, and this one), or <c>Pipeline.sln</c> (this repository).
    /// </summary>
    internal static bool IsRepositoryRoot(string directory) =>
        File.Exists(Path.Combine(directory, "build", "Build.csproj")) || File.Exists(Path.Combine(directory, "Pipeline.sln"));
}
