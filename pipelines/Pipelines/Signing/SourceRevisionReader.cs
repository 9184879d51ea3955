using Pipelines.Hosts;
using Pipelines.Processes;

namespace Pipelines.Signing;

/// <summary>Reads the repository URL and commit of a git work tree for provenance, through <c>git</c>.</summary>
public sealed class SourceRevisionReader(ILog log)
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
            ? WithoutCredentials(origin.StandardOutput.Trim())
            : new Uri(Path.GetFullPath(directory)).AbsoluteUri;
        return new SourceRevision(uri, head.StandardOutput.Trim());
    }

    /// <summary>An https remote may carry a token (<c>https://x:token@host/…</c>); provenance is public, so drop it.</summary>
    public static string WithoutCredentials(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri
            : url;
}
