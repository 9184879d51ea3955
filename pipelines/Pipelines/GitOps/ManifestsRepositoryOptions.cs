namespace Pipelines.GitOps;

/// <summary>Which manifests repository to write to, and how.</summary>
/// <param name="Url">An HTTPS/SSH URL, or a local path (a bare repository, e.g. <c>.gitops/manifests.git</c>).</param>
/// <param name="Branch">The branch Flux watches.</param>
/// <param name="Token">
/// Secret for HTTPS: sent as an <c>Authorization</c> header through git's environment
/// (<c>GIT_CONFIG_COUNT</c>), never in the URL or the command line. Null: git's own credentials (SSH, helpers).
/// </param>
/// <param name="Identity">Author and committer of deploy commits (null: <see cref="GitIdentity.Default"/>).</param>
/// <param name="MaxAttempts">How many times a push is tried when the branch moved meanwhile.</param>
/// <param name="RetryDelay">The first back-off between attempts; it doubles each time (with jitter), up to 5 s.</param>
internal sealed record ManifestsRepositoryOptions(
    string Url,
    string Branch = "main",
    string? Token = null,
    GitIdentity? Identity = null,
    int MaxAttempts = 10,
    TimeSpan? RetryDelay = null)
{
    /// <summary>The options' identity, or the default one.</summary>
    public GitIdentity Author => Identity ?? GitIdentity.Default;

    /// <summary>Hides the token from records printed in logs.</summary>
    public override string ToString() =>
        $"ManifestsRepositoryOptions {{ Url = {Url}, Branch = {Branch}, Token = {(Token is null ? "none" : "***")}, Identity = {Author} }}";
}
