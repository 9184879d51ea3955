using Pipelines.Logging;
namespace Pipelines.Hosts;

/// <summary>
/// Where a build runs: the local terminal, GitHub Actions or a Tekton TaskRun. A host decides how
/// lines, target boundaries, outputs and the summary appear; every line passes the secret masker first.
/// </summary>
internal abstract class PipelineHost : ILog
{
    private readonly object _gate = new();

    /// <summary>Takes where lines go and the environment to read host variables from (injected so tests control both).</summary>
    protected PipelineHost(TextWriter output, IReadOnlyDictionary<string, string> environment)
    {
        Output = output;
        Environment = environment;
    }

    /// <summary>Names the host in logs and in <c>--host</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Identifies the run for provenance and commit trailers (a URL where the host has one).</summary>
    public virtual string RunId => $"local:{System.Environment.MachineName}";

    /// <summary>Holds the secret values every line and output is masked with.</summary>
    public SecretMasker Masker { get; } = new();

    /// <summary>Where the host writes its lines.</summary>
    protected TextWriter Output { get; }

    /// <summary>The variables the host reads its settings from.</summary>
    protected IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Shows debug lines when set (<c>--verbose</c>).</summary>
    public bool Verbose { get; set; }

    /// <summary>Masks the message and writes it unless it is a debug line and the run is not verbose.</summary>
    public void Write(LogLevel level, string message)
    {
        if (level == LogLevel.Debug && !Verbose) return;
        var masked = Masker.Apply(message);
        lock (_gate) WriteLine(level, masked);
    }

    /// <summary>Writes one already-masked line.</summary>
    protected abstract void WriteLine(LogLevel level, string message);

    /// <summary>
    /// True on a developer's machine: the terminal host, and no sign of a CI system or a pod (<c>CI</c>,
    /// <c>KUBERNETES_SERVICE_HOST</c>). Local-only conveniences, such as a generated signing key, hang on this.
    /// </summary>
    public bool IsDeveloperMachine => this is TerminalHost && Variable("CI") is null && Variable("KUBERNETES_SERVICE_HOST") is null;

    /// <summary>Registers a secret value so that no line ever shows it.</summary>
    public virtual void AddSecret(string? value) => Masker.Add(value);

    /// <summary>Runs a target's body between the host's markers for a target.</summary>
    public virtual async Task RunTargetAsync(string target, Func<Task> body)
    {
        BeginTarget(target);
        try { await body(); }
        finally { EndTarget(target); }
    }

    /// <summary>Marks where a target's lines start.</summary>
    protected virtual void BeginTarget(string target) => Write(LogLevel.Info, $"═══ {target} ═══");

    /// <summary>Marks where a target's lines end; nothing by default.</summary>
    protected virtual void EndTarget(string target) { }

    /// <summary>Hands a target's output to the host (GitHub step output, Tekton result).</summary>
    public virtual void PublishOutput(string name, string value) { }

    /// <summary>Adds markdown to the host's run summary, where it has one.</summary>
    public virtual void AppendSummary(string markdown) { }

    /// <summary>Reports why a target failed.</summary>
    public virtual void ReportFailure(string target, string message) => Write(LogLevel.Error, $"{target} failed: {message}");

    /// <summary>Shows the table of targets, statuses, durations and notes at the end of a run.</summary>
    public virtual void WriteSummary(BuildSummary summary) => Write(LogLevel.Info, summary.ToText().TrimEnd());

    /// <summary>Reads a host variable; null when unset or empty.</summary>
    protected string? Variable(string name) => Environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Picks the host from the environment, or from <c>--host</c>.</summary>
    public static PipelineHost Detect(string? requested, TextWriter output, IReadOnlyDictionary<string, string> environment)
    {
        var name = requested?.ToLowerInvariant()
            ?? (environment.GetValueOrDefault("PIPELINE_HOST") is { Length: > 0 } marker ? marker.ToLowerInvariant()
            : environment.GetValueOrDefault("GITHUB_ACTIONS") == "true" ? "github"
            : "terminal");
        return name switch
        {
            "github" or "github-actions" => new GitHubActionsHost(output, environment),
            "tekton" => new TektonHost(output, environment),
            "terminal" or "local" => ReferenceEquals(output, Console.Out) ? TerminalHost.ForConsole(environment) : new TerminalHost(output, environment, interactive: false),
            _ => throw new PipelineException($"Unknown host '{name}' (from --host or PIPELINE_HOST). Valid: terminal, github, tekton."),
        };
    }

    /// <summary>Snapshots the process environment for <see cref="Detect"/> and the host constructors.</summary>
    public static IReadOnlyDictionary<string, string> CurrentEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
}
