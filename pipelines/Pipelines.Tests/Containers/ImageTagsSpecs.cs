using Pipelines.Containers;
using Pipelines.Workspace;

namespace Pipelines.Tests.Containers;

public sealed class ImageTagsSpecs
{
    private static SourceRevision Head(string? branch = null, params string[] tags) =>
        new("file:///src/app", "0123456789abcdef0123456789abcdef01234567") { Branch = branch, Tags = tags, CommitTime = DateTimeOffset.UnixEpoch };

    [Theory]
    [InlineData("main", "main")]
    [InlineData("feature/Login-Page", "feature-login-page")]
    [InlineData("-weird..branch", "weird..branch")]
    [InlineData("renovate/dotnet@10", "renovate-dotnet-10")]
    public void A_branch_becomes_a_valid_docker_tag(string branch, string tag) => Assert.Equal(tag, ImageTags.Sanitize(branch));

    [Fact]
    public void A_long_branch_is_cut_at_128_characters() => Assert.Equal(128, ImageTags.Sanitize(new string('a', 300)).Length);

    [Fact]
    public void Tags_are_the_short_commit_then_the_branch_then_the_version()
    {
        var revision = Head("release/1.4", "v1.4.0");

        Assert.Equal(["0123456789ab", "release-1.4", "1.4.0"], ImageTags.For(revision));
    }

    [Fact]
    public void A_detached_head_without_a_version_is_tagged_with_the_commit_only()
    {
        var revision = Head();

        Assert.Equal(["0123456789ab"], ImageTags.For(revision));
    }

    [Theory]
    [InlineData("1.4.0", true)]
    [InlineData("2.0.0-rc.1+build.5", true)]
    [InlineData("1.4", false)]
    [InlineData("01.4.0", false)]
    [InlineData("latest", false)]
    public void Only_semantic_versions_count(string value, bool valid) => Assert.Equal(valid, ImageTags.IsSemVer(value));

    [Fact]
    public void A_semver_build_suffix_becomes_tag_safe()
    {
        var revision = Head(null, "v2.0.0-rc.1+build.5");

        Assert.Equal("2.0.0-rc.1-build.5", ImageTags.For(revision)[1]);
    }

    [Fact]
    public void The_version_is_the_highest_semver_v_tag_and_other_tags_do_not_count()
    {
        var revision = Head(null, "deployed", "v1.10.0-rc.1", "v1.9.0", "vnext", "1.11.0", "v1.10.0");

        Assert.Equal("1.10.0", ImageTags.Version(revision));
    }
}
