using Pipelines.Logging;

namespace Pipelines.GitOps;

internal sealed partial class ManifestsRepository
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

    /// <summary>
    /// The images deployed today for several apps, read from one sparse clone of all their folders, in the order given
    /// (for promoting several apps: verify each, then deploy them elsewhere with <see cref="DeployRequest.ForApps"/>).
    /// Throws one message naming every folder that does not reference its image or does not pin it by digest.
    /// </summary>
    /// <param name="images">Each app's environment folder and the image name its manifests use.</param>
    /// <param name="ct">Stops the clone.</param>
    public async Task<IReadOnlyList<ImageUpdate>> ReadDeployedAsync(IReadOnlyList<(string Path, string ImageName)> images, CancellationToken ct = default)
    {
        var folders = images.Select(i => NormalizePath(i.Path)).ToList();
        using var clone = await CloneAsync(folders.Distinct(StringComparer.Ordinal).ToList(), shallow: true, ct);
        var found = new List<ImageUpdate>();
        var problems = new List<string>();
        for (var i = 0; i < images.Count; i++)
        {
            var (folder, name) = (folders[i], images[i].ImageName);
            var deployed = _setter.FindDeployed(Path.Combine(clone.Directory, folder), name);
            if (deployed is null) problems.Add($"`{folder}` does not reference the image `{name}`");
            else if (deployed.Digest is null) problems.Add($"`{folder}` deploys `{name}` without a digest ({deployed.Reference})");
            else found.Add(deployed);
        }
        if (problems.Count > 0)
            throw new PipelineException($"In `{DisplayUrl}`: {string.Join("; ", problems)}. Only digest-pinned images can be promoted: check the source environment and the image names, or deploy there first.");
        return found;
    }

    /// <summary>
    /// What each app's folder runs (digest-pinned or not; null when the folder does not reference the image), in the
    /// order given: what a release analysis judges. At the branch head from one shallow sparse clone of all the folders;
    /// with <paramref name="at"/> (a deploy commit), as that commit left them (a blob-less clone that checks it out).
    /// </summary>
    public async Task<IReadOnlyList<ImageUpdate?>> ReadRunningAsync(IReadOnlyList<(string Path, string ImageName)> images, string? at = null, CancellationToken ct = default)
    {
        var folders = images.Select(i => NormalizePath(i.Path)).ToList();
        using var clone = await CloneAsync(folders.Distinct(StringComparer.Ordinal).ToList(), shallow: at is null, ct);
        if (at is not null)
        {
            var checkout = await _git.RunAsync(clone.Directory, ["-c", "advice.detachedHead=false", "checkout", "--quiet", at], ct);
            if (!checkout.Succeeded)
                throw new PipelineException($"The deploy commit {at} is not on branch `{_options.Branch}` of `{DisplayUrl}` ({LastLines(checkout)}); the state names a deploy this repository does not hold: check --manifests-repo, or run Analyze after a Deploy to it.");
        }
        return images.Select((image, i) => _setter.FindDeployed(Path.Combine(clone.Directory, folders[i]), image.ImageName)).ToList();
    }

    /// <summary>
    /// Deploys to <paramref name="to"/> the image deployed at <paramref name="fromPath"/> (same name, tag and digest).
    /// One app; for several, read each with <see cref="ReadDeployedAsync(IReadOnlyList{ValueTuple{string, string}}, CancellationToken)"/> and deploy them with <see cref="DeployRequest.ForApps"/>.
    /// </summary>
    public async Task<DeployedRevision> PromoteAsync(string fromPath, DeployRequest to, CancellationToken ct = default)
    {
        if (to.IsMultiApp)
            throw new ArgumentException("PromoteAsync promotes one app; read each app's image with ReadDeployedAsync and deploy them with DeployRequest.ForApps.", nameof(to));
        var deployed = await ReadDeployedAsync(fromPath, to.Image.Name, ct);
        _log.Info($"Promoting {deployed.Reference} from {NormalizePath(fromPath)} to {to.Environment}.");
        return await DeployAsync(to with { Image = to.Image with { NewName = deployed.NewName ?? to.Image.NewName, Tag = deployed.Tag, Digest = deployed.Digest } }, ct);
    }

    /// <summary>
    /// Reverts the last deploy commit of the app (or of any of the apps of <see cref="RollbackRequest.Apps"/>) to the
    /// environment that touched its folder and is not already rolled back, as a new commit pushed like a deploy (no
    /// history rewrite). A commit that deployed several apps is reverted whole, and the rollback's message names them all.
    /// With <see cref="RollbackRequest.Expected"/>, it reverts only while the environment still runs those digests and
    /// the last deploy is the one that set them (and is <see cref="RollbackRequest.DeployCommit"/> when that is a
    /// deploy); otherwise it changes nothing and <see cref="DeployedRevision.Declined"/> says why.
    /// </summary>
    public async Task<DeployedRevision> RollbackAsync(RollbackRequest request, CancellationToken ct = default)
    {
        var apps = request.Apps.Select(a => a with { Path = NormalizePath(a.Path) }).ToList();
        var paths = apps.Select(a => a.Path).Concat(request.Expected?.Select(e => NormalizePath(e.Path)) ?? [])
            .Distinct(StringComparer.Ordinal).ToList();
        // History is needed to find the deploy: a full (blob-less, sparse) clone instead of a shallow one.
        using var clone = await CloneAsync(paths, shallow: false, ct);
        string? declined = null;
        var revision = await CommitAndPushAsync(clone, request.Environment, _options.Branch, ct, async _ =>
        {
            // 1. The judged release must still be what the environment runs (checked on every head a retry sees).
            declined = NotRunning(clone, request);
            if (declined is not null) return null;
            var last = await LastDeployAsync(clone, request, paths, ct);
            declined = NotTheJudgedDeploy(request, last);
            if (declined is not null) return null;
            var (target, subject, deployed) = (last.Commit, last.Subject, last.Apps);
            // A deploy of several apps also touched folders outside this sparse checkout: git reverts those in the index
            // (they are not checked out), so the revert commit holds every file of the deploy commit.
            var others = deployed.Except(apps.Select(a => a.App)).ToList();
            if (others.Count > 0)
                _log.Warn($"{request.Environment}: {target[..12]} (\"{subject}\") deployed {string.Join(", ", deployed)} in one commit; reverting it also rolls back {string.Join(", ", others)}.");
            var revert = await _git.RunAsync(clone.Directory, ["revert", "--no-commit", target], ct);
            if (!revert.Succeeded)
            {
                await _git.RunAsync(clone.Directory, ["revert", "--abort"], ct);
                throw new PipelineException($"Reverting {target[..12]} (\"{subject}\") conflicts with later changes in `{string.Join("`, `", paths)}`: {LastLines(revert)}. Deploy the previous digest instead.");
            }
            var files = (await _git.RunCheckedAsync(clone.Directory, "git diff", ct, "diff", "--cached", "--name-only"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var names = deployed.Count > 0 ? string.Join(", ", deployed) : request.App;
            var message = $"rollback({request.Environment}): {names} revert {target[..12]}\n\nThis reverts commit {target}, \"{subject}\".\n\nReverts: {target}\n"
                + (request.PipelineRun is { Length: > 0 } run ? $"Pipeline-Run: {run}\n" : "");
            return (message, (IReadOnlyList<string>)files);
        }, () => declined);
        if (declined is not null) _log.Info(declined);
        return declined is null ? revision : revision with { AlreadyDeployed = false, Declined = declined };
    }

    /// <summary>Why the environment no longer runs the judged digests (each app that drifted, and what it runs now); null when it does.</summary>
    private string? NotRunning(Clone clone, RollbackRequest request)
    {
        if (request.Expected is not { } expected) return null;
        if (expected.Count == 0)
            return $"{request.Environment} ran no digest-pinned release of {string.Join(", ", request.Apps.Select(a => a.App))} when it was judged: nothing rolled back.";
        var drifted = new List<string>();
        foreach (var image in expected)
        {
            var running = _setter.FindDeployed(Path.Combine(clone.Directory, NormalizePath(image.Path)), image.ImageName);
            if (running?.Digest != image.Digest)
                drifted.Add($"{image.App} runs {(running?.Digest is { } now ? ShortDigest(now) : "no pinned digest")}, not the judged {ShortDigest(image.Digest)}");
        }
        return drifted.Count == 0 ? null
            : $"{request.Environment} no longer runs the judged release ({string.Join("; ", drifted)}): nothing rolled back. " +
              "It was rolled back or redeployed since; a rollback now would revert an unjudged release (run Rollback by hand if that is what you want).";
    }

    /// <summary>Why the last deploy is not the one that put the judged digests there; null when it is.</summary>
    private static string? NotTheJudgedDeploy(RollbackRequest request, LastDeploy last)
    {
        if (request.Expected is not { Count: > 0 } expected) return null;
        if (request.DeployCommit is { Length: > 0 } judged && last.DeployCommits.Contains(judged) && last.Commit != judged)
            return $"{request.Environment}: the last deploy is {last.Commit[..12]} (\"{last.Subject}\"), not the judged {judged[..Math.Min(12, judged.Length)]}: nothing rolled back.";
        var missing = expected.Where(e => last.Apps.Contains(e.App) && !last.Digests.Contains(e.Digest)).ToList();
        return missing.Count == 0 ? null
            : $"{request.Environment}: the last deploy {last.Commit[..12]} (\"{last.Subject}\") did not set the judged {string.Join(", ", missing.Select(m => $"{m.App}@{ShortDigest(m.Digest)}"))}: nothing rolled back.";
    }

    /// <summary>The deploy a rollback would revert, the digests it set, and every unreverted deploy commit seen before it.</summary>
    private sealed record LastDeploy(string Commit, string Subject, IReadOnlyList<string> Apps, IReadOnlyList<string> Digests, IReadOnlySet<string> DeployCommits);

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

    /// <summary>
    /// The newest deploy commit to the environment that touched one of <paramref name="paths"/>, set one of the request's
    /// apps, and is not reverted by a later rollback commit (whichever apps that rollback named); with the apps it set.
    /// </summary>
    private async Task<LastDeploy> LastDeployAsync(
        Clone clone, RollbackRequest request, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var log = await _git.RunCheckedAsync(clone.Directory, "git log", ct,
            ["log", $"--format=%H%x1f%s%x1f%(trailers:key=Reverts,valueonly,separator=%x2C)%x1f%(trailers:key={AppTrailer},valueonly,separator=%x2C)%x1f%(trailers:key=Image-Digest,valueonly,separator=%x2C)%x1e", "--", .. paths]);
        var wanted = request.Apps.Select(a => a.App).ToHashSet(StringComparer.Ordinal);
        var rollbackPrefix = $"rollback({request.Environment}): ";
        var reverted = new HashSet<string>();
        LastDeploy? found = null;
        var deploys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in log.Split('\x1e', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = record.Split('\x1f');
            if (fields.Length < 5) continue;
            if (fields[1].StartsWith(rollbackPrefix, StringComparison.Ordinal))
            {
                foreach (var sha in fields[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) reverted.Add(sha);
                continue;
            }
            var deployed = DeployedApps(request.Environment, fields[1], fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (!deployed.Any(wanted.Contains) || reverted.Contains(fields[0])) continue;
            // Every deploy of these apps is collected (a guarded rollback asks whether the judged commit is one of them).
            deploys.Add(fields[0]);
            found ??= new LastDeploy(fields[0], fields[1], deployed,
                fields[4].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), deploys);
        }
        if (found is not null) return found;
        var names = string.Join(", ", request.Apps.Select(a => a.App));
        throw new PipelineException($"There is no deploy of {names} to {request.Environment} left to roll back in `{string.Join("`, `", paths)}` on branch `{_options.Branch}`.");
    }
}
