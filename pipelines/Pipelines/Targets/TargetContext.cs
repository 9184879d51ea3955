using Pipelines.Hosts;

namespace Pipelines.Targets;

/// <summary>What a running target gets: cancellation, the log, the state, and a place for outputs and notes.</summary>
public sealed class TargetContext
{
    private readonly TargetDefinition _definition;
    private readonly List<KeyValuePair<string, string>> _notes = [];

    internal TargetContext(TargetDefinition definition, PipelineHost host, PipelineState state, CancellationToken cancellationToken)
    {
        _definition = definition;
        Host = host;
        State = state;
        CancellationToken = cancellationToken;
    }

    public string Target => _definition.Name;
    public PipelineHost Host { get; }
    public ILog Log => Host;
    public PipelineState State { get; }
    public CancellationToken CancellationToken { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Notes => _notes;

    /// <summary>Publishes an output the target declared with <c>Produces</c>: state file and host.</summary>
    public void Publish(string name, string value)
    {
        if (!_definition.Outputs.Contains(name))
            throw new InvalidOperationException($"Target {Target} publishes {name} but does not declare it: add .Produces(\"{name}\").");
        State.Set(name, value);
        Host.PublishOutput(name, value);
        Host.Debug($"{name}={value}");
    }

    /// <summary>Adds a note to this target's row in the summary table.</summary>
    public void Note(string key, string value) => _notes.Add(new(key, value));
}
