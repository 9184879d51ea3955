using Pipelines.Docker;

namespace Pipelines.Tests.Containers;

/// <summary>The .dockerignore rules as Docker documents them (docs.docker.com, "Build context: .dockerignore").</summary>
public sealed class DockerIgnoreSpecs
{
    [Theory]
    [InlineData("*/temp*", "somedir/temporary.txt", true)]
    [InlineData("*/temp*", "somedir/temp", true)]
    [InlineData("*/temp*", "temp.txt", false)]
    [InlineData("*/*/temp*", "somedir/subdir/temporary.txt", true)]
    [InlineData("temp?", "tempa", true)]
    [InlineData("temp?", "tempab", false)]
    [InlineData("**/*.go", "a/b/c/main.go", true)]
    [InlineData("**/*.go", "main.go", true)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("/root.txt", "root.txt", true)]
    [InlineData("./logs", "logs/a.log", true)]
    [InlineData("logs/", "logs/a.log", true)]
    [InlineData("logs", "src/logs", false)]
    [InlineData("*.md", "docs/readme.md", false)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[^a-c].txt", "b.txt", false)]
    [InlineData("[^a-c].txt", "d.txt", true)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("# comment", "# comment", false)]
    public void A_single_pattern_matches_as_documented(string pattern, string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse(pattern + "\n");

        Assert.Equal(excluded, ignore.IsExcluded(path));
    }

    [Fact]
    public void A_pattern_matching_a_folder_excludes_everything_under_it()
    {
        var ignore = DockerIgnore.Parse("node_modules\n");

        Assert.True(ignore.IsExcluded("node_modules/pkg/index.js"));
    }

    [Fact]
    public void An_exception_brings_back_a_file_and_the_last_matching_line_wins()
    {
        var ignore = DockerIgnore.Parse("*.md\n!README*.md\nREADME-secret.md\n");

        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("README-secret.md"));
    }

    [Fact]
    public void An_exception_inside_an_excluded_folder_keeps_that_file_only()
    {
        var ignore = DockerIgnore.Parse("logs\n!logs/keep.log\n");

        Assert.True(ignore.HasExceptions);
        Assert.True(ignore.IsExcluded("logs/a.log"));
        Assert.False(ignore.IsExcluded("logs/keep.log"));
    }

    [Fact]
    public void An_excluded_folder_is_walked_only_when_an_exception_names_a_path_inside_it()
    {
        var ignore = DockerIgnore.Parse("*\n!publish/\n");

        Assert.False(ignore.IsExcluded("publish/app.dll"));
        Assert.True(ignore.IsExcluded("src/Program.cs"));
        Assert.True(ignore.MayIncludeUnder("publish"));
        Assert.False(ignore.MayIncludeUnder("src"));
    }

    [Fact]
    public void Blank_lines_comments_and_surrounding_spaces_are_ignored()
    {
        var ignore = DockerIgnore.Parse("\n# *.txt\n   secret.env   \r\n\n");

        Assert.False(ignore.IsExcluded("notes.txt"));
        Assert.True(ignore.IsExcluded("secret.env"));
    }

    [Fact]
    public void An_unclosed_character_class_names_the_pattern()
    {
        var error = Assert.Throws<PipelineException>(() => DockerIgnore.Parse("[abc\n"));

        Assert.Contains("'[abc'", error.Message);
    }
}
