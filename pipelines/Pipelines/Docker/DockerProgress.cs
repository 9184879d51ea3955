using System.Text;
using System.Text.Json;
using Pipelines.Hosts;

namespace Pipelines.Docker;

/// <summary>
/// Reads the daemon's newline-delimited JSON progress. The HTTP status is 200 before the work starts, so
/// a failure arrives as an <c>{"error","errorDetail"}</c> message inside the stream: every message is checked.
/// </summary>
public static class DockerProgress
{
    /// <summary>
    /// Logs each line as it arrives and returns the outcome; an error message becomes a
    /// <see cref="DockerStreamException"/> built by <paramref name="failure"/> from (last step, daemon message).
    /// </summary>
    public static async Task<DockerProgressOutcome> ReadAsync(
        Stream stream, ILog log, Func<string?, string, PipelineException> failure, CancellationToken cancellationToken)
    {
        var aux = new List<JsonElement>();
        var statuses = new List<string>();
        string? step = null;
        var cached = 0;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0) continue;
            JsonElement message;
            try
            {
                using var document = JsonDocument.Parse(line);
                message = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                log.Info(line);
                continue;
            }

            if (message.TryGetProperty("error", out var error) || message.TryGetProperty("errorDetail", out error))
            {
                var text = error.ValueKind == JsonValueKind.String ? error.GetString()!
                    : error.TryGetProperty("message", out var detail) ? detail.GetString() ?? "" : error.ToString();
                throw failure(step, text.Trim());
            }
            if (message.TryGetProperty("stream", out var output) && output.GetString() is { } chunk)
            {
                foreach (var part in chunk.Split('\n'))
                {
                    var text = part.TrimEnd('\r');
                    if (text.Trim().Length == 0) continue;
                    if (text.StartsWith("Step ", StringComparison.Ordinal) && text.Contains(" : ", StringComparison.Ordinal)) step = text;
                    if (text.Trim() == "---> Using cache") cached++;
                    log.Info(text);
                }
            }
            if (message.TryGetProperty("status", out var status) && status.GetString() is { } state)
            {
                var id = message.TryGetProperty("id", out var layer) ? layer.GetString() + ": " : "";
                // Progress bars repeat many times a second; they go to the debug log only.
                var hasProgress = message.TryGetProperty("progressDetail", out var progress)
                    && progress.ValueKind == JsonValueKind.Object && progress.EnumerateObject().Any();
                if (hasProgress) log.Debug(id + state);
                else
                {
                    statuses.Add(id + state);
                    log.Info(id + state);
                }
            }
            if (message.TryGetProperty("aux", out var extra)) aux.Add(extra);
        }
        return new DockerProgressOutcome(aux, step, statuses, cached);
    }
}
