namespace Pipelines.Logging;

/// <summary>Replaces every known secret value in a text with <c>***</c>. Thread-safe.</summary>
internal sealed class SecretMasker
{
    /// <summary>What a secret is replaced with in masked text.</summary>
    public const string Mask = "***";
    private readonly object _gate = new();
    private string[] _secrets = [];

    /// <summary>Registers a secret (and each of its lines) so later text is masked; blank values are ignored.</summary>
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

    /// <summary>The registered secrets, longest first.</summary>
    public IReadOnlyList<string> Values
    {
        get { lock (_gate) return _secrets; }
    }

    /// <summary>Replaces every registered secret in the text with the mask.</summary>
    public string Apply(string text)
    {
        var secrets = _secrets;
        foreach (var secret in secrets)
            if (text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
