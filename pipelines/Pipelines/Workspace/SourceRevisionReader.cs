using System.Globalization;
using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.Workspace;

/// <summary>
/// Reads HEAD of a git checkout through <c>git</c>: commit, branch, tags, commit time and origin. The one reader of
/// the checkout's revision: image tags, labels, provenance and the deploy commit message all ask it, so they name
/// the same commit. A caller that reads it several times in one target should read it once and pass it on.
/// </summary>
internal sealed class SourceRevisionReader(ILog log)
{
    /// <summary>HEAD of the checkout at <paramref name="directory"/>; <c>null</c> (with a warning) outside a git repository with a commit.</summary>
    public async Task<SourceRevision?> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var revision = await ReadHeadAsync(directory, cancellationToken);
        if (revision is null) log.Warn($"{directory} is not a git repository with a commit; the build names no source commit (provenance has none).");
        return revision;
    }

    /// <summary>HEAD of the checkout at <paramref name="directory"/>, or a <see cref="PipelineException"/> saying why <paramref name="purpose"/> needs one.</summary>
    /// <param name="purpose">What needs the commit, for the message: "Containerize tags the image with the commit".</param>
    public async Task<SourceRevision> RequireAsync(string directory, string purpose, CancellationToken cancellationToken) =>
        await ReadHeadAsync(directory, cancellationToken)
        ?? throw new PipelineException($"{directory} is not a git repository with a commit: {purpose}; commit first (git add -A && git commit -m \"First commit\", after git init -b main in a new folder), or run it inside a clone.");

    private async Task<SourceRevision?> ReadHeadAsync(string directory, CancellationToken cancellationToken)
    {
        var git = new Command("git").WithWorkingDirectory(directory).WithOutput(OutputMode.Quiet)
            .WithMissingHint("install git: the build reads the commit it builds (image tags, provenance, deploy commits).");
        async Task<string?> Run(params string[] arguments)
        {
            var result = await git.WithArguments(arguments).ExecuteAsync(log, cancellationToken);
            return result.Succeeded && result.StandardOutput.Trim() is { Length: > 0 } output ? output : null;
        }

        // Independent questions, asked at once: each git start costs more than its answer.
        var headTask = Run("log", "-1", "--format=%H %ct");
        var branchTask = Run("symbolic-ref", "--short", "-q", "HEAD");
        var tagsTask = Run("tag", "--points-at", "HEAD");
        var originTask = Run("remote", "get-url", "origin");
        await Task.WhenAll(headTask, branchTask, tagsTask, originTask);
        if (headTask.Result is not { } head) return null;

        var parts = head.Split(' ');
        var origin = originTask.Result;
        return new SourceRevision(origin is null ? new Uri(Path.GetFullPath(directory)).AbsoluteUri : ToUri(origin, directory), parts[0])
        {
            // CI checks out a detached HEAD; GitHub names the branch in its environment.
            Branch = branchTask.Result
                ?? NonEmpty(Environment.GetEnvironmentVariable("GITHUB_HEAD_REF"))
                ?? NonEmpty(Environment.GetEnvironmentVariable("GITHUB_REF_NAME")),
            Tags = (tagsTask.Result ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Order(StringComparer.Ordinal).ToList(),
            CommitTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
            // A clone URL may carry a token (https://x:token@host/…); labels and provenance are public.
            Origin = origin is null ? null : WithoutCredentials(origin),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

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
