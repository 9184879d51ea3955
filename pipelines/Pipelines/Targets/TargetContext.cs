using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Targets;

/// <summary>What a running target gets: cancellation, the log, the state, and a place for outputs and notes.</summary>
public sealed class TargetContext
{
    private readonly TargetDefinition _definition;
    private readonly List<KeyValuePair<string, string>> _notes = [];
    private readonly Dictionary<string, string> _published = new(StringComparer.Ordinal);

    internal TargetContext(TargetDefinition definition, PipelineHost host, PipelineState state, CancellationToken cancellationToken, bool fresh = false)
    {
        Fresh = fresh;
        _definition = definition;
        Host = host;
        State = state;
        CancellationToken = cancellationToken;
    }

    /// <summary>The running target's name.</summary>
    public string Target => _definition.Name;
    /// <summary>Where the build runs.</summary>
    internal PipelineHost Host { get; }
    /// <summary>Where the target writes what it is doing.</summary>
    public ILog Log => Host;
    /// <summary>Outputs and records shared with other targets and later runs.</summary>
    internal PipelineState State { get; }
    /// <summary>Signals Ctrl+C or a timeout; pass it to every awaited call.</summary>
    public CancellationToken CancellationToken { get; }
    /// <summary>
    /// <c>--fresh</c> was given: redo work whose result is already recorded (the engine's cache, and a target's own
    /// record of it, such as Analyze's verdict for the deploy it judged).
    /// </summary>
    internal bool Fresh { get; }
    /// <summary>The key/value notes the target added for the summary table.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Notes => _notes;

    /// <summary>The outputs published so far, as the state keeps them (masked): what a cached run republishes.</summary>
    internal IReadOnlyDictionary<string, string> Published => _published;

    /// <summary>Publishes an output the target declared with <c>Produces</c>: state file and host.</summary>
    public void Publish(string name, string value)
    {
        if (!_definition.Outputs.Contains(name))
            throw new InvalidOperationException($"Target {Target} publishes {name} but does not declare it: add .Produces(\"{name}\").");
        State.Set(name, value);
        _published[name] = State.Get(name) ?? "";
        Host.PublishOutput(name, value);
        Host.Debug($"{name}={value}");
    }

    /// <summary>Adds a note to this target's row in the summary table.</summary>
    public void Note(string key, string value) => _notes.Add(new(key, value));

    private readonly List<string> _warnings = [];

    /// <summary>What went wrong without failing the target, already in the log: a warning row of the summary each.</summary>
    internal IReadOnlyList<string> Warnings => _warnings;

    /// <summary>
    /// Shows something the target already logged as a warning in the summary too, so a run that succeeded with it
    /// (a Flux receiver that could not be poked) does not read as if nothing happened.
    /// </summary>
    internal void SummaryWarning(string message) => _warnings.Add(message);
}
