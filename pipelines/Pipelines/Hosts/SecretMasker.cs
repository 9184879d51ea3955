namespace Pipelines.Hosts;

/// <summary>Replaces every known secret value in a text with <c>***</c>. Thread-safe.</summary>
public sealed class SecretMasker
{
    public const string Mask = "***";
    private readonly object _gate = new();
    private string[] _secrets = [];

    public void Add(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return;
        // A multi-line secret (a PEM key) may be printed one line at a time.
        var values = secret.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(secret)
            .Where(v => v.Length >= 3);
        lock (_gate)
            _secrets = _secrets.Union(values).OrderByDescending(s => s.Length).ToArray();
    }

    public IReadOnlyList<string> Values
    {
        get { lock (_gate) return _secrets; }
    }

    public string Apply(string text)
    {
        var secrets = _secrets;
        foreach (var secret in secrets)
            if (text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
