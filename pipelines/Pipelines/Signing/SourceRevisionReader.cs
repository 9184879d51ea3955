using Pipelines.Hosts;
using Pipelines.Processes;

namespace Pipelines.Signing;

/// <summary>Reads the repository URL and commit of a git work tree for provenance, through <c>git</c>.</summary>
internal sealed class SourceRevisionReader(ILog log)
{
    /// <summary>The origin URL (or the directory when there is no remote) and <c>HEAD</c>; <c>null</c> outside a git repository.</summary>
    public async Task<SourceRevision?> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var git = new Command("git").WithWorkingDirectory(directory).WithOutput(OutputMode.Quiet)
            .WithMissingHint("install git, or provenance will carry no source commit");
        var head = await git.WithArguments("rev-parse", "HEAD").ExecuteAsync(log, cancellationToken);
        if (!head.Succeeded)
        {
            log.Warn($"{directory} is not a git repository; the provenance names no source commit.");
            return null;
        }
        var origin = await git.WithArguments("remote", "get-url", "origin").ExecuteAsync(log, cancellationToken);
        var uri = origin.Succeeded && origin.StandardOutput.Trim().Length > 0
            ? ToUri(origin.StandardOutput.Trim(), directory)
            : new Uri(Path.GetFullPath(directory)).AbsoluteUri;
        return new SourceRevision(uri, head.StandardOutput.Trim());
    }

    /// <summary>
    /// A remote as an RFC 3986 URI, as SLSA's <c>git+&lt;uri&gt;</c> needs: a URL without its credentials, an scp-like
    /// <c>git@host:org/app.git</c> as <c>ssh://git@host/org/app.git</c>, a local path as <c>file:///srv/repos/app</c>.
    /// </summary>
    public static string ToUri(string remote, string directory)
    {
        if (remote.Contains("://", StringComparison.Ordinal)) return WithoutCredentials(remote);
        var scp = System.Text.RegularExpressions.Regex.Match(remote, @"^(?:(?<user>[\w.-]+)@)?(?<host>[\w.-]+):(?<path>(?!/)[^\\].*)$");
        if (scp.Success && !Path.IsPathRooted(remote) && scp.Groups["host"].Value.Length > 1)
            return $"ssh://{(scp.Groups["user"].Success ? scp.Groups["user"].Value + "@" : "")}{scp.Groups["host"].Value}/{scp.Groups["path"].Value}";
        var path = remote.StartsWith("file:", StringComparison.Ordinal) ? remote["file:".Length..] : remote;
        return new Uri(Path.GetFullPath(path, Path.GetFullPath(directory))).AbsoluteUri;
    }

    /// <summary>An https remote may carry a token (<c>https://x:token@host/…</c>); provenance is public, so drop it.</summary>
    public static string WithoutCredentials(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri
            : url;
}
