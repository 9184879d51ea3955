using Pipelines.Containers;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Containers;

public class ImageSelectionTests
{
    private const string Sha = "sha256:7ebe8964225fa4619b53aa35416ef0246c037e36ddf81776b21b15e1dda2262b";
    private const string Other = "sha256:85ad8e17d3d7c00664855c638832bd99f32d42542c2d587851410a45a7f60b95";

    [Theory]
    [InlineData("127.0.0.1:5000/shortlink@" + Sha, "127.0.0.1:5000/shortlink@" + Sha)]
    [InlineData("127.0.0.1:5000/shortlink:abc1234@" + Sha, "127.0.0.1:5000/shortlink:abc1234@" + Sha)]
    [InlineData(" registry.cn-hangzhou.aliyuncs.com/team/shortlink@" + Sha + " ", "registry.cn-hangzhou.aliyuncs.com/team/shortlink@" + Sha)]
    public void An_explicit_image_with_a_digest_wins_over_the_state(string image, string expected)
    {
        var selected = ImageSelection.Select(image, "127.0.0.1:5000/other:tag", Other);

        Assert.Equal(expected, selected.ToString());
    }

    [Fact]
    public void An_explicit_image_without_a_digest_is_refused_with_how_to_find_one()
    {
        var error = Assert.Throws<PipelineException>(() => ImageSelection.Select("127.0.0.1:5000/shortlink:main", null, null));

        Assert.Contains("--image '127.0.0.1:5000/shortlink:main'", error.Message);
        Assert.Contains("must be named by digest", error.Message);
        Assert.Contains("docker buildx imagetools inspect 127.0.0.1:5000/shortlink:main", error.Message);
        Assert.Contains("IMAGE_DIGEST", error.Message);
    }

    [Fact]
    public void An_invalid_explicit_image_names_the_parameter_and_the_problem()
    {
        var error = Assert.Throws<PipelineException>(() => ImageSelection.Select("Shortlink@sha256:12", null, null));

        Assert.StartsWith("--image: Image reference 'Shortlink@sha256:12' is invalid", error.Message);
    }

    [Fact]
    public void The_state_outputs_give_the_tagged_url_pinned_to_the_digest()
    {
        using var dir = new TempDirectory("image-selection");
        var state = PipelineState.Load(dir.Combine("pipeline-state.json"));
        state.Set(ImageSelection.ImageUrlOutput, "127.0.0.1:5000/shortlink:abc1234");
        state.Set(ImageSelection.ImageDigestOutput, Sha);

        var selected = ImageSelection.Select(null, state);

        Assert.Equal("127.0.0.1:5000/shortlink:abc1234@" + Sha, selected.ToString());
        Assert.Equal(Sha, selected.Digest);
    }

    [Theory]
    [InlineData(null, null, "run Containerize first")]
    [InlineData("127.0.0.1:5000/shortlink:abc", null, "no IMAGE_DIGEST")]
    [InlineData(null, Sha, "no IMAGE_URL")]
    [InlineData("127.0.0.1:5000/shortlink:abc", "sha256:bad", "IMAGE_DIGEST 'sha256:bad' is not a valid digest")]
    [InlineData("127.0.0.1:5000/Shortlink:abc", Sha, "IMAGE_URL in the pipeline state")]
    [InlineData("127.0.0.1:5000/shortlink@" + Other, Sha, "the state is inconsistent")]
    public void Missing_or_broken_state_outputs_say_what_to_do(string? url, string? digest, string message)
    {
        var error = Assert.Throws<PipelineException>(() => ImageSelection.Select("", url, digest));

        Assert.Contains(message, error.Message);
    }
}
