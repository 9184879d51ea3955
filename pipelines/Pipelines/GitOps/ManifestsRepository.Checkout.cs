using Pipelines.Logging;
namespace Pipelines.GitOps;

internal sealed partial class ManifestsRepository
{
    /// <summary>Temporary clones are <c>gitops-&lt;pid&gt;-&lt;random&gt;</c> in the temp directory.</summary>
    internal const string ClonePrefix = "gitops-";

    /// <summary>A temporary clone, deleted when disposed.</summary>
    private sealed class Clone(string directory, bool shallow) : IDisposable
    {
        public string Directory { get; } = directory;
        public bool Shallow { get; } = shallow;

        public void Dispose() => TemporaryFolders.Delete(Directory);
    }

    /// <summary>The URL without any user or password in it: safe for logs and messages.</summary>
    private string DisplayUrl =>
        Uri.TryCreate(_options.Url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped)
            : _options.Url;

    /// <summary>
    /// What git clones from: a URL as given, a local path as <c>file://</c> (git ignores <c>--depth</c> and
    /// <c>--filter</c> for plain local paths).
    /// </summary>
    private string RemoteUrl()
    {
        var url = _options.Url;
        if (url.Contains("://") || System.Text.RegularExpressions.Regex.IsMatch(url, @"^[\w.-]+@[\w.-]+:")) return url;
        var full = Path.GetFullPath(url);
        if (!System.IO.Directory.Exists(full))
            throw new PipelineException($"The manifests repository `{url}` does not exist; pass --manifests-repo with a URL or the path of a git repository.");
        return new Uri(full).AbsoluteUri;
    }

    /// <summary>
    /// A single-branch clone into a temporary folder with only <paramref name="paths"/> checked out (files are
    /// fetched for those paths only, where the server supports filters). Shallow: the last commit only.
    /// </summary>
    private async Task<Clone> CloneAsync(IReadOnlyList<string> paths, bool shallow, CancellationToken ct)
    {
        // Clones a killed run left behind (SIGKILL skips every cleanup) go first; this run's own is removed on every exit path.
        var stale = TemporaryFolders.RemoveStale(ClonePrefix);
        if (stale > 0) _log.Debug($"Removed {stale} temporary manifests clone(s) that killed runs left in {Path.GetTempPath()}.");
        var directory = TemporaryFolders.New(ClonePrefix, create: false);
        var clone = new Clone(directory, shallow);
        try
        {
            List<string> arguments = ["clone", "--quiet", "--single-branch", "--branch", _options.Branch, "--no-tags", "--filter=blob:none", "--sparse"];
            if (shallow) arguments.AddRange(["--depth", "1"]);
            arguments.AddRange(["--", RemoteUrl(), directory]);
            var result = await _git.RunAsync(null, arguments, ct);
            if (!result.Succeeded)
            {
                var error = result.StandardError;
                if (error.Contains("Remote branch") && error.Contains("not found"))
                    throw new PipelineException($"The manifests repository `{DisplayUrl}` has no branch `{_options.Branch}`; check --manifests-branch.");
                throw new PipelineException(
                    $"Cloning the manifests repository `{DisplayUrl}` failed: {LastLines(result)}. " +
                    "Check --manifests-repo and that --git-token (HTTPS) or your SSH key can read it.");
            }
            await _git.RunCheckedAsync(directory, "git sparse-checkout", ct, ["sparse-checkout", "set", "--", .. paths]);
            return clone;
        }
        catch
        {
            clone.Dispose();
            throw;
        }
    }

    /// <summary>Throws away the local commit and moves to the head of <paramref name="branch"/>.</summary>
    private async Task FetchAndResetAsync(Clone clone, string branch, CancellationToken ct)
    {
        List<string> fetch = ["fetch", "--quiet", "--no-tags"];
        if (clone.Shallow) fetch.AddRange(["--depth", "1"]);
        fetch.AddRange(["origin", branch]);
        await _git.RunCheckedAsync(clone.Directory, "git fetch", ct, [.. fetch]);
        await _git.RunCheckedAsync(clone.Directory, "git reset", ct, "reset", "--quiet", "--hard", "FETCH_HEAD");
    }
}
