using System.Globalization;
using Pipelines.Hosts;
using Pipelines.Processes;

namespace Pipelines.Containers;

/// <summary>The git facts an image is tagged and labelled with.</summary>
/// <param name="Commit">The full commit SHA of HEAD.</param>
/// <param name="Branch">The branch name, or null on a detached HEAD.</param>
/// <param name="Version">The semver of a <c>v*</c> tag on HEAD (without the <c>v</c>), or null.</param>
/// <param name="CommitTime">The commit's committer date: the image's creation time, stable across rebuilds.</param>
/// <param name="Source">The <c>origin</c> remote URL, or null.</param>
internal sealed record GitRevision(string Commit, string? Branch, string? Version, DateTimeOffset CommitTime, string? Source)
{
    /// <summary>The 12-character short commit.</summary>
    public string ShortCommit => Commit[..Math.Min(12, Commit.Length)];

    /// <summary>Reads HEAD of the repository at <paramref name="directory"/>.</summary>
    public static async Task<GitRevision> ReadAsync(string directory, ILog log, CancellationToken cancellationToken)
    {
        var git = new Command("git").WithWorkingDirectory(directory).WithOutput(OutputMode.Quiet)
            .WithMissingHint("install git: Containerize tags images with the commit.");
        async Task<string?> Run(params string[] arguments)
        {
            var result = await git.WithArguments(arguments).ExecuteAsync(log, cancellationToken);
            return result.Succeeded && result.StandardOutput.Trim() is { Length: > 0 } output ? output : null;
        }

        // Independent questions, asked at once: each git start costs more than its answer.
        var headTask = Run("log", "-1", "--format=%H %ct");
        var branchTask = Run("symbolic-ref", "--short", "-q", "HEAD");
        var tagsTask = Run("tag", "--points-at", "HEAD", "--list", "v*");
        var sourceTask = Run("config", "--get", "remote.origin.url");
        await Task.WhenAll(headTask, branchTask, tagsTask, sourceTask);

        var head = headTask.Result
            ?? throw new PipelineException($"{directory} is not a git repository with a commit: Containerize tags the image with the commit; run it inside a clone.");
        var parts = head.Split(' ');
        // CI checks out a detached HEAD; GitHub names the branch in its environment.
        var branch = branchTask.Result
            ?? NonEmpty(Environment.GetEnvironmentVariable("GITHUB_HEAD_REF"))
            ?? NonEmpty(Environment.GetEnvironmentVariable("GITHUB_REF_NAME"));
        var version = (tagsTask.Result ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t[1..])
            .Where(ImageTags.IsSemVer)
            .OrderByDescending(v => v, StringComparer.Ordinal)
            .FirstOrDefault();
        // A clone URL may carry a token (https://x:token@host/…); the label is public.
        var source = sourceTask.Result is { } origin ? Signing.SourceRevisionReader.WithoutCredentials(origin) : null;
        return new GitRevision(parts[0], branch, version,
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture)), source);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
