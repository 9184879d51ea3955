using System.Linq.Expressions;
using Pipelines.Hosts;

namespace Pipelines.Targets;

/// <summary>
/// The base of a build class. Targets are <see cref="Target"/> properties, parameters are fields marked
/// <see cref="ParameterAttribute"/>; <c>static int Main(string[] args) => Execute&lt;Build&gt;(args, x => x.Deploy);</c>
/// </summary>
public abstract class PipelineBuild
{
    private PipelineHost? _host;
    private PipelineState? _state;

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

    /// <summary>Where targets write reports, state and build outputs.</summary>
    public string ArtifactsDirectory => Path.Combine(RootDirectory, "artifacts");

    /// <summary>Runs the build for a command line and returns the process exit code.</summary>
    public static int Execute<T>(string[] args, Expression<Func<T, Target>> defaultTarget) where T : PipelineBuild, new()
    {
        if (defaultTarget.Body is not MemberExpression { Member.Name: var name })
            throw new ArgumentException("The default target must be a property of the build: x => x.Deploy.", nameof(defaultTarget));

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
