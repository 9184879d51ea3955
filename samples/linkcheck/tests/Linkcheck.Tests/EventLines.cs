using System.Text;
using System.Text.Json.Nodes;

namespace Linkcheck.Tests;

/// <summary>A writer that keeps every JSON line written to it and lets a test wait for an event.</summary>
public sealed class EventLines : TextWriter
{
    private readonly StringBuilder _pending = new();
    private readonly List<string> _lines = [];

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Every complete line so far, parsed.</summary>
    public IReadOnlyList<JsonObject> Events
    {
        get { lock (_lines) return _lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList(); }
    }

    /// <summary>Every complete line so far, as written.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToList(); }
    }

    /// <inheritdoc />
    public override void Write(char value)
    {
        lock (_lines)
        {
            if (value != '\n') { _pending.Append(value); return; }
            _lines.Add(_pending.ToString());
            _pending.Clear();
        }
    }

    /// <summary>The events named <paramref name="name"/>.</summary>
    public List<JsonObject> Named(string name) => Events.Where(e => (string?)e["event"] == name).ToList();

    /// <summary>Waits until <paramref name="count"/> events named <paramref name="name"/> were written; fails after 30 s.</summary>
    public async Task WaitForAsync(string name, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Named(name).Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no {count} `{name}` events within 30 s; got:\n{string.Join('\n', Lines)}");
            await Task.Delay(20);
        }
    }
}
