using Pipelines.Logging;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Workspace;

/// <summary>The one reader of a checkout's HEAD, against a real git repository.</summary>
public sealed class SourceRevisionReaderTests
{
    [Fact]
    public async Task HEAD_is_read_with_its_branch_tags_commit_time_and_origin_without_the_token()
    {
        using var repository = new TempDirectory("workspace-revision");
        await TestGit.RunAsync(repository.Path, ["init", "-q", "-b", "release/1.4"]);
        await TestGit.RunAsync(repository.Path, ["remote", "add", "origin", "https://ci:token123@git.example/team/app.git"]);
        await File.WriteAllTextAsync(repository.Combine("a.txt"), "a");
        await TestGit.RunAsync(repository.Path, ["add", "a.txt"]);
        await TestGit.RunAsync(repository.Path, ["commit", "-q", "-m", "a"]);
        await TestGit.RunAsync(repository.Path, ["tag", "v1.4.0"]);
        await TestGit.RunAsync(repository.Path, ["tag", "deployed"]);
        var head = (await TestGit.OutputAsync(repository.Path, "rev-parse", "HEAD")).Trim();
        var time = long.Parse((await TestGit.OutputAsync(repository.Path, "log", "-1", "--format=%ct")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var revision = await new SourceRevisionReader(new MemoryLog()).ReadAsync(repository.Path, CancellationToken.None);

        Assert.NotNull(revision);
        Assert.Equal(head, revision.Commit);
        Assert.Equal(head[..12], revision.ShortCommit);
        Assert.Equal("release/1.4", revision.Branch);
        Assert.Equal(["deployed", "v1.4.0"], revision.Tags);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(time), revision.CommitTime);
        Assert.Equal("https://git.example/team/app.git", revision.Origin);
        Assert.Equal("https://git.example/team/app.git", revision.Uri);
    }

    [Fact]
    public async Task Without_a_remote_the_origin_is_null_and_the_uri_is_the_directory()
    {
        using var repository = new TempDirectory("workspace-no-remote");
        await TestGit.RunAsync(repository.Path, ["init", "-q"]);
        await File.WriteAllTextAsync(repository.Combine("a.txt"), "a");
        await TestGit.RunAsync(repository.Path, ["add", "a.txt"]);
        await TestGit.RunAsync(repository.Path, ["commit", "-q", "-m", "a"]);

        var revision = await new SourceRevisionReader(new MemoryLog()).ReadAsync(repository.Path, CancellationToken.None);

        Assert.Null(revision!.Origin);
        Assert.Equal(new Uri(Path.GetFullPath(repository.Path)).AbsoluteUri, revision.Uri);
    }

    [Fact]
    public async Task A_caller_that_needs_the_commit_is_told_why_outside_a_repository()
    {
        using var directory = new TempDirectory("workspace-no-git");

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new SourceRevisionReader(new MemoryLog()).RequireAsync(directory.Path, "Containerize tags the image with the commit", CancellationToken.None));

        Assert.Equal($"{directory.Path} is not a git repository with a commit: Containerize tags the image with the commit; commit first (git add -A && git commit -m \"First commit\", after git init -b main in a new folder), or run it inside a clone.", error.Message);
    }
}
