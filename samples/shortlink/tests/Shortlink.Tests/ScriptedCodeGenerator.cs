using Shortlink.Links;

namespace Shortlink.Tests;

/// <summary>Hands out a fixed sequence of codes, to force collisions.</summary>
public sealed class ScriptedCodeGenerator(IEnumerable<string> codes) : ICodeGenerator
{
    private readonly Queue<string> _codes = new(codes);
    private readonly Lock _lock = new();

    /// <summary>How many codes were handed out.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc />
    public string Next()
    {
        lock (_lock)
        {
            Calls++;
            return _codes.Dequeue();
        }
    }
}
