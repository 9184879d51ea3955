namespace Pipelines.Kubernetes;

/// <summary>One status condition, as Kubernetes writes it.</summary>
public sealed record Condition(string Type, string Status, string? Reason, string? Message)
{
    public bool IsTrue => Status == "True";
    public bool IsFalse => Status == "False";
    public override string ToString() => $"{Type}={Status}{(Reason is null ? "" : $" ({Reason})")}{(Message is null ? "" : $": {Message}")}";
}
