using Docker.DotNet.Models;
using Pipelines.Logging;

namespace Pipelines.Docker;

/// <summary>
/// Reads the daemon's progress messages (build, push, pull) as Docker.DotNet reports them. It is synchronous
/// on purpose: <see cref="Progress{T}"/> posts to the thread pool, so an error or the pushed digest could arrive
/// after the call returned. The HTTP status is 200 before the work starts, so a failure arrives as a message
/// with an error inside the stream; the first one is kept, and the caller turns it into one message.
/// </summary>
internal sealed class DockerProgress(ILog log) : IProgress<JSONMessage>
{
    private readonly List<IReadOnlyDictionary<string, string>> _aux = [];
    private readonly List<string> _statuses = [];

    /// <summary>The last <c>Step N/M : …</c> line of a classic build, if any.</summary>
    public string? LastStep { get; private set; }

    /// <summary>The step that was running when the error came (the last step then), and the daemon's message.</summary>
    public (string? Step, string Message)? Error { get; private set; }

    /// <summary>How many <c>---&gt; Using cache</c> lines a classic build printed.</summary>
    public int CachedSteps { get; private set; }

    /// <summary>Every <c>aux</c> object, in order, its values as text (build: <c>{ID}</c>; push: <c>{Tag, Digest, Size}</c>).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Aux => _aux;

    /// <summary>The <c>status</c> messages, without progress bars (push: "Pushed", "Layer already exists").</summary>
    public IReadOnlyList<string> Statuses => _statuses;

    /// <summary>Logs the message and keeps what the caller reads afterwards.</summary>
    public void Report(JSONMessage value)
    {
        lock (_statuses)
        {
            if (Error is null && value.Error is { } error && (error.Message is { Length: > 0 } || error.Code is not null))
            {
                Error = (LastStep, (error.Message ?? $"error {error.Code}").Trim());
                return;
            }
            if (value.Stream is { } chunk) Output(chunk);
            if (value.Status is { } state)
            {
                var id = value.ID is { Length: > 0 } layer ? layer + ": " : "";
                // Progress bars repeat many times a second; they go to the debug log only.
                if (value.Progress is { } progress && (progress.Current > 0 || progress.Total > 0)) log.Debug(id + state);
                else
                {
                    _statuses.Add(id + state);
                    log.Info(id + state);
                }
            }
            if (value.Aux?.ExtensionData is { Count: > 0 } aux)
                _aux.Add(aux.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? ""));
        }
    }

    private void Output(string chunk)
    {
        foreach (var part in chunk.Split('\n'))
        {
            var text = part.TrimEnd('\r');
            if (text.Trim().Length == 0) continue;
            if (text.StartsWith("Step ", StringComparison.Ordinal) && text.Contains(" : ", StringComparison.Ordinal)) LastStep = text;
            if (text.Trim() == "---> Using cache") CachedSteps++;
            log.Info(text);
        }
    }
}
