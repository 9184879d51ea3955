using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.GitOps;

/// <summary>
/// Deploys by committing an image digest into the manifests repository Flux watches: a temporary shallow,
/// single-branch, sparse clone of the environment's folder; the <see cref="ImageSetter"/>; one commit; a
/// push that, when another pipeline pushed first, fetches the new head and sets the image again. Never
/// force-pushes, never rewrites history.
/// </summary>
internal sealed partial class ManifestsRepository
{
    private readonly ManifestsRepositoryOptions _options;
    private readonly ImageSetter _setter;
    private readonly ILog _log;
    private readonly GitCli _git;

    /// <summary>Takes the repository options, the image setter that edits the manifests, and the log.</summary>
    public ManifestsRepository(ManifestsRepositoryOptions options, ImageSetter setter, ILog log)
    {
        if (string.IsNullOrWhiteSpace(options.Url))
            throw new PipelineException("No manifests repository was given; pass --manifests-repo <url or path>.");
        if (Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
            throw new PipelineException("--manifests-repo carries credentials in its URL, which would reach logs and provenance: remove them and pass the token as --git-token (PIPELINE_GIT_TOKEN).");
        if (options.MaxAttempts < 1)
            throw new PipelineException($"The push attempts must be at least 1 (got {options.MaxAttempts}).");
        _options = options;
        _setter = setter;
        _log = log;
        _git = new GitCli(options, log);
    }

    /// <summary>
    /// Sets every app's image (<see cref="DeployRequest.Apps"/>) in its environment folder and pushes one commit with all
    /// the changed files. Apps whose folder already holds their image are left out of the commit; when every app's does,
    /// nothing is committed and the result says where it is already deployed. When an image is not referenced in its
    /// app's folder, throws a <see cref="PipelineException"/> naming the app and the folder, and the repository is left unchanged.
    /// </summary>
    public async Task<DeployedRevision> DeployAsync(DeployRequest request, CancellationToken ct = default)
    {
        var apps = request.Apps.Select(a => a with { Path = NormalizePath(a.Path) }).ToList();
        var paths = apps.Select(a => a.Path).Distinct(StringComparer.Ordinal).ToList();
        using var clone = await NotDeployedWhenCancelledAsync(request.Environment, () => CloneAsync(paths, shallow: true, ct), ct);
        IReadOnlyList<string> set = [];
        var revision = await NotDeployedWhenCancelledAsync(request.Environment, () => CommitAndPushAsync(clone, request.Environment, request.PushBranch ?? _options.Branch, ct, async attempt =>
        {
            // 1. Every image must be referenced in its folder before any file is touched: one message names each app that is not.
            if (apps.Count > 1) EnsureReferenced(clone, request.Environment, apps);
            // 2. Set the images on whatever head we have (the fresh clone, or the branch that moved).
            var changed = new List<AppImage>();
            var files = new List<string>();
            foreach (var app in apps)
            {
                var result = _setter.Update(Path.Combine(clone.Directory, app.Path), app.Image, app.Path);
                if (result.UpToDate) continue;
                changed.Add(app);
                // Two apps may share a folder (and a file): stage each file once.
                var added = result.ChangedFiles.Select(f => app.Path + "/" + f).Where(f => !files.Contains(f)).ToList();
                files.AddRange(added);
            }
            set = changed.Select(a => a.App).ToList();
            if (changed.Count == 0) return null;
            // 3. Stage exactly the files the setter changed.
            await _git.RunCheckedAsync(clone.Directory, "git add", ct, ["add", "--", .. files]);
            return (CommitMessage(request, changed), files);
        }), ct);
        IReadOnlyList<string> all = apps.Select(a => a.App).ToList();
        return revision.AlreadyDeployed
            ? revision with { Apps = [], UpToDateApps = all }
            : revision with { Apps = set, UpToDateApps = all.Except(set).ToList() };
    }

    /// <summary>Throws one message naming every app whose image its folder does not reference (or whose folder is missing).</summary>
    private void EnsureReferenced(Clone clone, string environment, IReadOnlyList<AppImage> apps)
    {
        var problems = new List<string>();
        foreach (var app in apps)
        {
            try
            {
                _setter.Preview(Path.Combine(clone.Directory, app.Path), app.Image, app.Path);
            }
            catch (PipelineException e)
            {
                problems.Add($"app `{app.App}` in `{app.Path}`: {e.Message}");
            }
        }
        if (problems.Count > 0)
            throw new PipelineException(
                $"{environment}: not deployed, the manifests repository is unchanged: {(problems.Count == 1 ? "" : problems.Count + " apps cannot be set; ")}{string.Join(" ", problems)}");
    }

    /// <summary>The first 12 hex digits of a digest (<c>sha256:6c1975b871ef</c> → <c>6c1975b871ef</c>).</summary>
    internal static string ShortDigest(string digest)
    {
        var hex = digest.Contains(':') ? digest[(digest.IndexOf(':') + 1)..] : digest;
        return hex.Length > 12 ? hex[..12] : hex;
    }

    /// <summary>
    /// The push loop: prepare a commit with <paramref name="prepare"/> (null: nothing to do), commit, push to
    /// <paramref name="pushBranch"/>; when the push is rejected because that branch moved (or, for a pull-request
    /// branch, already exists), wait, fetch its head, reset to it and prepare again.
    /// </summary>
    private async Task<DeployedRevision> CommitAndPushAsync(
        Clone clone, string environment, string pushBranch, CancellationToken ct,
        Func<int, Task<(string Message, IReadOnlyList<string> Files)?>> prepare, Func<string?>? whyNothing = null)
    {
        // The clone starts on the watched branch; after a rejected push it stands on the push branch's head.
        var headBranch = _options.Branch;
        for (var attempt = 1; ; attempt++)
        {
            var prepared = await prepare(attempt);
            if (prepared is not { } change)
            {
                var head = await _git.RunCheckedAsync(clone.Directory, "git rev-parse", ct, "rev-parse", "HEAD");
                // A guarded rollback that declined says why itself; "already deployed" would be wrong for it.
                if (whyNothing?.Invoke() is null) _log.Info($"{environment}: already deployed at {head}; nothing to commit.");
                return new DeployedRevision(head, environment, [], AlreadyDeployed: true, attempt, headBranch);
            }

            var commit = await _git.RunAsync(clone.Directory, ["commit", "--quiet", "--no-verify", "-F", "-"], ct, change.Message);
            commit.EnsureSuccess("git commit");
            var sha = await _git.RunCheckedAsync(clone.Directory, "git rev-parse", ct, "rev-parse", "HEAD");

            CommandResult push;
            try
            {
                push = await _git.RunAsync(clone.Directory, ["push", "--porcelain", "origin", $"HEAD:refs/heads/{pushBranch}"], ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopped while git pushed: the remote may hold the commit or not. Ask it, and say which.
                return await AfterInterruptedPushAsync(clone, environment, pushBranch, sha, change.Files, attempt);
            }
            // The same change made within the same second is the same commit: the branch already holds it.
            if (push.Succeeded && push.StandardOutput.Contains("[up to date]"))
            {
                _log.Info($"{environment}: already deployed at {sha} on {pushBranch}; nothing new to push.");
                return new DeployedRevision(sha, environment, [], AlreadyDeployed: true, attempt, pushBranch);
            }
            if (push.Succeeded)
            {
                _log.Info($"{environment}: pushed {sha} to {pushBranch} ({string.Join(", ", change.Files)}).");
                return new DeployedRevision(sha, environment, change.Files, AlreadyDeployed: false, attempt, pushBranch);
            }
            if (!BranchMoved(push))
                throw new PipelineException(
                    $"Pushing to `{DisplayUrl}` branch `{pushBranch}` failed: {LastLines(push)}. " +
                    "Check that the token (--git-token) or SSH key may push there and that the branch is not protected against direct pushes.");
            if (attempt >= _options.MaxAttempts)
                throw new PipelineException(
                    $"Branch `{pushBranch}` of `{DisplayUrl}` kept moving: {attempt} pushes were rejected because other pushes landed first. " +
                    "Run the deploy again, or raise the number of attempts.");

            var delay = Backoff(attempt);
            _log.Info($"{environment}: branch {pushBranch} moved meanwhile; retrying on the new head in {delay.TotalMilliseconds:0} ms (attempt {attempt + 1} of {_options.MaxAttempts}).");
            await Task.Delay(delay, ct);
            await FetchAndResetAsync(clone, pushBranch, ct);
            headBranch = pushBranch;
        }
    }

    /// <summary>A rejection that a fetch and retry fixes: the branch has commits we do not have, or a concurrent ref update.</summary>
    private static bool BranchMoved(CommandResult push)
    {
        var text = push.StandardError + "\n" + push.StandardOutput;
        return text.Contains("non-fast-forward") || text.Contains("fetch first") || text.Contains("[rejected]")
            || text.Contains("cannot lock ref") || text.Contains("failed to update ref") || text.Contains("incorrect old value")
            || text.Contains("stale info");
    }

    /// <summary>Exponential back-off with full jitter, so racing pipelines spread out instead of colliding again.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var first = _options.RetryDelay ?? TimeSpan.FromMilliseconds(200);
        var ceiling = Math.Min(first.TotalMilliseconds * Math.Pow(2, attempt - 1), 5000);
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    private static string LastLines(CommandResult result)
    {
        var text = (result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput).Trim();
        return string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
    }

    /// <summary>A repository-relative folder with <c>/</c> separators and no leading or trailing slash.</summary>
    internal static string NormalizePath(string path)
    {
        var normalized = path.Replace('\\', '/').Trim('/');
        if (normalized.StartsWith("./")) normalized = normalized[2..];
        if (normalized.Length == 0 || normalized.Split('/').Any(part => part is ".." or "."))
            throw new PipelineException($"The manifests path `{path}` must be a folder inside the repository, like apps/<app>/overlays/<environment>; check --manifests-path.");
        return normalized;
    }
}
