using Pipelines.TektonLocal;

namespace Pipelines.Tests.TektonLocal;

/// <summary>Tekton's substitution, durations and quantities as the local runner applies them (no Docker).</summary>
public sealed class TektonVariablesTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["params.url"] = "git://host/repo", ["params.a.b"] = "dotted", ["tasks.fetch.results.commit"] = "abc123",
        ["workspaces.source.path"] = "/workspace/source",
    };

    [Theory]
    [InlineData("clone $(params.url)", "clone git://host/repo")]
    [InlineData("$(params['a.b']) and $(params[\"url\"])", "dotted and git://host/repo")]
    [InlineData("$(tasks.fetch.results.commit)", "abc123")]
    [InlineData("cd $(workspaces.source.path)/x", "cd /workspace/source/x")]
    [InlineData("$(params.unknown) stays", "$(params.unknown) stays")]
    public void Known_names_are_replaced_and_unknown_ones_left_as_they_are(string text, string expected) =>
        Assert.Equal(expected, TektonVariables.Apply(text, Values));

    [Fact]
    public void Result_references_name_the_tasks_a_task_depends_on() =>
        Assert.Equal([("fetch-source", "commit"), ("containerize", "IMAGE_URL")],
            TektonVariables.ResultReferences("$(tasks.fetch-source.results.commit) $(tasks.containerize.results.IMAGE_URL) $(params.x)"));

    [Theory]
    [InlineData("1h0m0s", 3600)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    public void Go_durations_are_read_as_Tekton_writes_them(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Quantities.Duration(text));

    [Fact]
    public void A_duration_Tekton_would_reject_is_one_clear_message() =>
        Assert.Equal("\"ten minutes\" is not a duration Tekton accepts (e.g. 1h0m0s, 90s, 5m).",
            Assert.Throws<PipelineException>(() => Quantities.Duration("ten minutes")).Message);

    [Fact]
    public void Compute_limits_become_docker_limits()
    {
        Assert.Equal(512L * 1024 * 1024, Quantities.Bytes("512Mi"));
        Assert.Equal(2_000_000_000L, Quantities.Bytes("2G"));
        Assert.Equal(500_000_000L, Quantities.NanoCpus("500m"));
        Assert.Equal(2_000_000_000L, Quantities.NanoCpus("2"));
    }

    [Fact]
    public void Pairs_without_a_name_are_refused_naming_the_option() =>
        Assert.Equal("--tekton-params takes name=value items; \"=x\" has no name or no '='.",
            Assert.Throws<PipelineException>(() => LocalRunInputs.ParsePairs(["a=1", "=x"], "--tekton-params")).Message);
}
