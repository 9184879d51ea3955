using Pipelines.Hosts;

namespace Pipelines.GitOps;

public sealed partial class ManifestsRepository
{
    /// <summary>
    /// The image deployed in an environment's folder today (for promotion: verify it, then deploy it elsewhere).
    /// Throws when the folder has no reference to <paramref name="imageName"/> or it is not pinned by digest.
    /// </summary>
    public async Task<ImageUpdate> ReadDeployedAsync(string path, string imageName, CancellationToken ct = default)
    {
        var folder = NormalizePath(path);
        using var clone = await CloneAsync([folder], shallow: true, ct);
        var found = _setter.FindDeployed(Path.Combine(clone.Directory, folder), imageName)
            ?? throw new PipelineException($"`{folder}` in `{DisplayUrl}` does not reference the image `{imageName}`; check the source environment and the image name.");
        if (found.Digest is null)
            throw new PipelineException($"`{folder}` deploys `{imageName}` without a digest ({found.Reference}); only a digest-pinned image can be promoted. Deploy it there first.");
        return found;
    }

    /// <summary>Deploys to <paramref name="to"/> the image deployed at <paramref name="fromPath"/> (same name, tag and digest).</summary>
    public async Task<DeployedRevision> PromoteAsync(string fromPath, DeployRequest to, CancellationToken ct = default)
    {
        var deployed = await ReadDeployedAsync(fromPath, to.Image.Name, ct);
        _log.Info($"Promoting {deployed.Reference} from {NormalizePath(fromPath)} to {to.Environment}.");
        return await DeployAsync(to with { Image = to.Image with { NewName = deployed.NewName ?? to.Image.NewName, Tag = deployed.Tag, Digest = deployed.Digest } }, ct);
    }

    /// <summary>
    /// Reverts the last deploy commit of the app to the environment that is not already rolled back, as a new
    /// commit pushed like a deploy (no history rewrite).
    /// </summary>
    public async Task<DeployedRevision> RollbackAsync(RollbackRequest request, CancellationToken ct = default)
    {
        var path = NormalizePath(request.Path);
        // History is needed to find the deploy: a full (blob-less, sparse) clone instead of a shallow one.
        using var clone = await CloneAsync([path], shallow: false, ct);
        return await CommitAndPushAsync(clone, request.Environment, _options.Branch, ct, async _ =>
        {
            var (target, subject) = await LastDeployAsync(clone, request, path, ct);
            var revert = await _git.RunAsync(clone.Directory, ["revert", "--no-commit", target], ct);
            if (!revert.Succeeded)
            {
                await _git.RunAsync(clone.Directory, ["revert", "--abort"], ct);
                throw new PipelineException($"Reverting {target[..12]} (\"{subject}\") conflicts with later changes in `{path}`: {LastLines(revert)}. Deploy the previous digest instead.");
            }
            var files = (await _git.RunCheckedAsync(clone.Directory, "git diff", ct, "diff", "--cached", "--name-only"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var message = $"rollback({request.Environment}): {request.App} revert {target[..12]}\n\nThis reverts commit {target}, \"{subject}\".\n\nReverts: {target}\n"
                + (request.PipelineRun is { Length: > 0 } run ? $"Pipeline-Run: {run}\n" : "");
            return (message, (IReadOnlyList<string>)files);
        });
    }

    /// <summary>
    /// Whether <paramref name="descendant"/> is <paramref name="ancestor"/> or a later commit on the branch: Flux may
    /// report a newer push than ours, which still contains our change. A commits-only clone (no files) answers it.
    /// </summary>
    public async Task<bool> IsDescendantAsync(string descendant, string ancestor, CancellationToken ct = default)
    {
        using var clone = await CloneAsync([], shallow: false, ct);
        var result = await _git.RunAsync(clone.Directory, ["merge-base", "--is-ancestor", ancestor, descendant], ct);
        return result.ExitCode == 0;
    }

    private async Task<(string Commit, string Subject)> LastDeployAsync(Clone clone, RollbackRequest request, string path, CancellationToken ct)
    {
        var log = await _git.RunCheckedAsync(clone.Directory, "git log", ct,
            "log", "--format=%H%x1f%s%x1f%(trailers:key=Reverts,valueonly,separator=%x2C)%x1e", "--", path);
        var deployPrefix = $"deploy({request.Environment}): {request.App} ";
        var rollbackPrefix = $"rollback({request.Environment}): {request.App} ";
        var reverted = new HashSet<string>();
        foreach (var record in log.Split('\x1e', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = record.Split('\x1f');
            if (fields.Length < 3) continue;
            if (fields[1].StartsWith(rollbackPrefix))
                foreach (var sha in fields[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) reverted.Add(sha);
            else if (fields[1].StartsWith(deployPrefix) && !reverted.Contains(fields[0]))
                return (fields[0], fields[1]);
        }
        throw new PipelineException($"There is no deploy of {request.App} to {request.Environment} left to roll back in `{path}` on branch `{_options.Branch}`.");
    }
}
