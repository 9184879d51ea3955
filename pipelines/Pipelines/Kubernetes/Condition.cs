namespace Pipelines.Kubernetes;

/// <summary>One status condition, as Kubernetes writes it.</summary>
internal sealed record Condition(string Type, string Status, string? Reason, string? Message)
{
    /// <summary>True when the condition's status is <c>True</c>.</summary>
    public bool IsTrue => Status == "True";
    /// <summary>True when the condition's status is <c>False</c> (neither is true while it is <c>Unknown</c>).</summary>
    public bool IsFalse => Status == "False";
    /// <summary>One line for logs and errors: type, status, reason and message.</summary>
    public override string ToString() => $"{Type}={Status}{(Reason is null ? "" : $" ({Reason})")}{(Message is null ? "" : $": {Message}")}";
}
