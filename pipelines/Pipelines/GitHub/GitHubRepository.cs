namespace Pipelines.GitHub;

/// <summary>A repository on GitHub: <c>owner/name</c>.</summary>
internal sealed record GitHubRepository(string Owner, string Name)
{
    /// <summary>Formats the repository as <c>owner/name</c>, the form the API and logs use.</summary>
    public override string ToString() => $"{Owner}/{Name}";

    /// <summary>From <c>owner/name</c>, <c>https://github.com/owner/name(.git)</c> or <c>git@github.com:owner/name.git</c>.</summary>
    public static GitHubRepository Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith(".git", StringComparison.Ordinal)) trimmed = trimmed[..^4];
        var path = trimmed.Contains("://")
            ? (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) ? uri.AbsolutePath.Trim('/') : "")
            : trimmed.Contains('@') && trimmed.Contains(':') ? trimmed[(trimmed.IndexOf(':') + 1)..]
            : trimmed;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
            throw new PipelineException($"'{text}' does not name a GitHub repository; expected owner/name or its https/ssh URL.");
        return new GitHubRepository(parts[0], parts[1]);
    }
}
