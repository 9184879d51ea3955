namespace Pipelines.GitOps;

internal sealed partial class ManifestsRepository
{
    /// <summary>
    /// Checks, without cloning, that the repository can be read and has the branch: what a Deploy's <c>Requires</c>
    /// runs before the first target, so a deploy that cannot happen builds, pushes and signs nothing.
    /// </summary>
    /// <exception cref="PipelineException">The repository does not exist, cannot be read, or lacks the branch.</exception>
    public async Task EnsureReadableAsync(CancellationToken ct = default)
    {
        var result = await _git.RunAsync(null, ["ls-remote", "--heads", "--", RemoteUrl(), "refs/heads/" + _options.Branch], ct);
        if (!result.Succeeded)
            throw new PipelineException(
                $"The manifests repository `{DisplayUrl}` cannot be read: {LastLines(result)}. " +
                "Pass --manifests-repo with the URL or path of an existing git repository (and --git-token for a private HTTPS one).");
        if (result.StandardOutput.Trim().Length == 0)
            throw new PipelineException($"The manifests repository `{DisplayUrl}` has no branch `{_options.Branch}`; check --manifests-branch.");
    }
}
