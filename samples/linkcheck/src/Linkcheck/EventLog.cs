using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Linkcheck;

/// <summary>
/// Writes one JSON object per line, e.g. <c>{"time":"2026-11-30T16:00:00.000Z","event":"check","url":"…","ok":true}</c>,
/// which is what <c>kubectl logs</c> and log collectors (Alibaba Cloud SLS, Loki) parse without configuration.
/// Safe to call from several threads: lines never interleave.
/// </summary>
public sealed class EventLog(TextWriter output, TimeProvider? clock = null)
{
    // Readable quotes and backticks in messages; the output is a log line, never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Writes the event <paramref name="name"/> with the fields <paramref name="fields"/> adds, and flushes.</summary>
    public void Write(string name, Action<Utf8JsonWriter>? fields = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("time", _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
            json.WriteString("event", name);
            fields?.Invoke(json);
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            output.Write(line + "\n");
            output.Flush();
        }
    }
}
