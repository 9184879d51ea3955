namespace Pipelines.GitOps;

/// <summary>The name and email written as author and committer of deploy commits.</summary>
internal sealed record GitIdentity(string Name, string Email)
{
    /// <summary><c>gitops-pipeline &lt;gitops-pipeline@users.noreply.local&gt;</c>.</summary>
    public static GitIdentity Default { get; } = new("gitops-pipeline", "gitops-pipeline@users.noreply.local");

    /// <summary>Formats the identity as git's <c>Name &lt;email&gt;</c>.</summary>
    public override string ToString() => $"{Name} <{Email}>";

    /// <summary>Reads <c>Name &lt;email&gt;</c>, as git writes an identity.</summary>
    public static GitIdentity Parse(string text)
    {
        var open = text.IndexOf('<');
        var close = text.LastIndexOf('>');
        if (open <= 0 || close < open + 2 || close != text.Length - 1 || text[(open + 1)..close].Contains(' '))
            throw new PipelineException($"--git-author '{text}' is not of the form Name <email>.");
        return new GitIdentity(text[..open].Trim(), text[(open + 1)..close]);
    }
}
