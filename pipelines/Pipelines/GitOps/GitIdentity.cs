namespace Pipelines.GitOps;

/// <summary>The name and email written as author and committer of deploy commits.</summary>
public sealed record GitIdentity(string Name, string Email)
{
    /// <summary><c>gitops-pipeline &lt;gitops-pipeline@users.noreply.local&gt;</c>.</summary>
    public static GitIdentity Default { get; } = new("gitops-pipeline", "gitops-pipeline@users.noreply.local");

    public override string ToString() => $"{Name} <{Email}>";
}
