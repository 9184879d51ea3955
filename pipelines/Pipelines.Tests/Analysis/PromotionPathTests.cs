using Pipelines.Analysis;

namespace Pipelines.Tests.Analysis;

public class PromotionPathTests
{
    private static readonly string[] Environments = ["dev=direct", "staging=direct", "prod=pull-request"];

    [Theory]
    [InlineData("dev", "staging")]
    [InlineData("staging", "prod")]
    public void A_pass_promotes_to_the_next_environment_in_the_order_environments_lists(string from, string to)
    {
        Assert.Equal(to, PromotionPath.Next(Environments, from));
    }

    [Fact]
    public void Promoting_from_the_last_environment_is_refused_before_anything_runs()
    {
        var error = Assert.Throws<PipelineException>(() => PromotionPath.Next(Environments, "prod"));

        Assert.Contains("'prod' is the last environment", error.Message);
    }
}
